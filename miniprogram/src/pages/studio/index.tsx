import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { ERROR_MESSAGES, STUDIO_KIND_LABELS, slaText, type StudioDetail } from '@mashangshang/shared';
import { api, ApiError } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { Button } from '../../components/ui';

/** A studio: who it is, its members and featured service items, and the way to leave a message. */
export default function StudioPage() {
  const [studio, setStudio] = useState<StudioDetail | null>(null);
  // `retry`: whether loading again can help (the network, the server), not for a link that names no studio.
  const [error, setError] = useState<{ text: string; retry: boolean } | null>(null);
  const [id, setId] = useState('');
  const notFound = { text: ERROR_MESSAGES.STUDIO_NOT_FOUND, retry: false };

  const load = (studioId: string) => {
    setError(null);
    api
      .studio(studioId, true)
      .then((found) => {
        setStudio(found);
        void Taro.setNavigationBarTitle({ title: found.name });
      })
      .catch((failure: unknown) => {
        const gone = failure instanceof ApiError && (failure.statusCode === 404 || failure.statusCode === 400);
        setError(
          gone
            ? notFound
            : { text: failure instanceof ApiError ? failure.message : '加载失败，请检查网络后重试', retry: true },
        );
      });
  };
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    // A studio id is 24 hex digits; anything else (a link cut short, a typo) names no studio.
    if (params.id && /^[0-9a-f]{24}$/i.test(params.id)) load(params.id);
    else setError(notFound);
  });

  if (error) {
    return (
      <PageShell>
        <View className="state">
          <Text className="state__text studio-error">{error.text}</Text>
          {error.retry && id ? (
            <Button className="tap" type="primary" fill="outline" onClick={() => load(id)}>
              重新加载
            </Button>
          ) : null}
          <Button className="tap" onClick={() => Taro.reLaunch({ url: '/pages/index/index' })}>
            查看全部工作室
          </Button>
        </View>
      </PageShell>
    );
  }
  if (!studio) {
    return (
      <PageShell>
        <View className="state">
          <Text className="state__text">正在加载…</Text>
        </View>
      </PageShell>
    );
  }

  return (
    <PageShell>
      <View className="hero">
        <Text className="h1 block studio-name">{studio.name}</Text>
        <Text className="muted block">
          {STUDIO_KIND_LABELS[studio.kind]} · {studio.town ?? studio.sector}
          {studio.jointGroup ? ` · ${studio.jointGroup}` : ''}
        </Text>
        <View className="row">
          {studio.star > 0 ? <Text className="star">{'★'.repeat(studio.star)}</Text> : null}
          {studio.star > 0 ? <Text className="muted">{studio.star} 星级工作室</Text> : null}
        </View>
        <Text className="muted block studio-sla">承诺 {slaText(studio)}内答复</Text>
      </View>

      <Button
        className="btn-block entry-submit"
        type="primary"
        size="large"
        onClick={() => Taro.navigateTo({ url: `/pages/submit/index?studioId=${studio.id}` })}
      >
        24 小时码上商 · 我要留言
      </Button>

      {studio.intro ? (
        <>
          <Text className="h2">工作室简介</Text>
          <View className="card">
            <Text>{studio.intro}</Text>
            {studio.address ? <Text className="block muted small">地址：{studio.address}</Text> : null}
          </View>
        </>
      ) : null}

      <Text className="h2">驻室委员（{studio.members.length}）</Text>
      <View className="card">
        {studio.members.length === 0 ? <Text className="muted">暂无委员信息</Text> : null}
        {studio.members.map((member) => (
          <View key={member.id} className="row row--between tap">
            <Text>{member.name}</Text>
            <Text className="muted small">{member.title}</Text>
          </View>
        ))}
      </View>

      {studio.serviceItems.length ? (
        <>
          <Text className="h2">特色服务项目</Text>
          {studio.serviceItems.map((item) => (
            <View key={item.id} className="card">
              <Text className="block" style={{ fontWeight: 600 }}>
                {item.title}
              </Text>
              {item.summary ? <Text className="muted small">{item.summary}</Text> : null}
            </View>
          ))}
        </>
      ) : null}
    </PageShell>
  );
}
