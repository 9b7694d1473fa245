import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { ERROR_MESSAGES, STUDIO_KIND_LABELS, slaText, type StudioDetail } from '@mashangshang/shared';
import { api } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { ErrorState, failureOf, type Failure } from '../../components/error-state';
import { Button } from '../../components/ui';

const STUDIO_NOT_FOUND: Failure = {
  title: ERROR_MESSAGES.STUDIO_NOT_FOUND,
  hint: '链接可能不完整，或这个工作室已经停用。您可以在全部工作室中找到要找的工作室。',
  retry: false,
};

/** A studio: who it is, its members and featured service items, and the way to leave a message. */
export default function StudioPage() {
  const [studio, setStudio] = useState<StudioDetail | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [id, setId] = useState('');

  const load = (studioId: string) => {
    setFailure(null);
    api
      .studio(studioId, true)
      .then((found) => {
        setStudio(found);
        void Taro.setNavigationBarTitle({ title: found.name });
      })
      .catch((caught: unknown) => setFailure(failureOf(caught, STUDIO_NOT_FOUND)));
  };
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    // A studio id is 24 hex digits; anything else (a link cut short, a typo) names no studio.
    if (params.id && /^[0-9a-f]{24}$/i.test(params.id)) load(params.id);
    else setFailure(STUDIO_NOT_FOUND);
  });

  if (failure) {
    return (
      <PageShell resident="other" title="委员工作室">
        <ErrorState className="studio-error" failure={failure} onRetry={id ? () => load(id) : undefined} />
      </PageShell>
    );
  }
  if (!studio) {
    return (
      <PageShell resident="other" title="委员工作室">
        <View className="state" role="status">
          <Text className="state__text">正在加载…</Text>
        </View>
      </PageShell>
    );
  }

  return (
    <PageShell resident="other" title={studio.name}>
      <View className="hero">
        <Text className="h1 block studio-name">{studio.name}</Text>
        <Text className="hero__text block">
          {STUDIO_KIND_LABELS[studio.kind]} · {studio.town ?? studio.sector}
          {studio.jointGroup ? ` · ${studio.jointGroup}` : ''}
        </Text>
        {studio.star > 0 ? (
          <View className="row">
            <Text className="hero__stars" ariaHidden="true">
              {'★'.repeat(studio.star)}
            </Text>
            <Text className="hero__text">{studio.star} 星级工作室</Text>
          </View>
        ) : null}
        <Text className="hero__text block">承诺 {slaText(studio)}内答复</Text>
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
          <Text className="h2" role="heading" ariaLevel="2">
            工作室简介
          </Text>
          <View className="card">
            <Text>{studio.intro}</Text>
            {studio.address ? <Text className="block muted small">地址：{studio.address}</Text> : null}
          </View>
        </>
      ) : null}

      <Text className="h2" role="heading" ariaLevel="2">
        驻室委员（{studio.members.length}）
      </Text>
      <View className="card" role={studio.members.length ? 'list' : undefined}>
        {studio.members.length === 0 ? <Text className="muted">暂无委员信息</Text> : null}
        {studio.members.map((member) => (
          <View key={member.id} className="row row--between member-row" role="listitem">
            <Text>{member.name}</Text>
            <Text className="muted small">{member.title}</Text>
          </View>
        ))}
      </View>

      {studio.serviceItems.length ? (
        <>
          <Text className="h2" role="heading" ariaLevel="2">
            特色服务项目
          </Text>
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
