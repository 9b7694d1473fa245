import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import {
  DEFAULT_SLA_HOURS,
  DEFAULT_SLA_WORKDAYS,
  MAX_SLA_HOURS,
  MAX_SLA_WORKDAYS,
  SLA_UNIT_LABELS,
  type AdminStudioDetail,
  type SlaUnit,
  type StudioKind,
} from '@mashangshang/shared';
import { api, ApiError } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { Input, TextArea } from '../../components/ui';
import { ActionButton, ChoiceChips, Tap } from '../../member/shared/controls';
import { AdminNav } from '../shared/admin-nav';
import { NoReceiverNotice } from '../shared/no-receiver';
import { STUDIO_CREATED_EVENT, useAdminGuard } from '../shared/use-admin';
import './index.css';

interface ItemDraft {
  key: number;
  id?: string;
  title: string;
  summary: string;
}

/** A whole number typed in a field, when it lies within [1, max]; else null. */
function wholeNumberIn(text: string, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const value = Number(text.trim());
  return value >= 1 && value <= max ? value : null;
}

let itemKey = 0;
const draftOf = (item?: { id?: string; title: string; summary: string }): ItemDraft => ({
  key: (itemKey += 1),
  id: item?.id,
  title: item?.title ?? '',
  summary: item?.summary ?? '',
});

/** Create (no `?id=`) or edit a studio: name, town or sector, intro, address and service items. */
export default function StudioEditPage() {
  const allowed = useAdminGuard();
  const [id, setId] = useState('');
  const [loaded, setLoaded] = useState<AdminStudioDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<StudioKind>('town');
  const [place, setPlace] = useState('');
  const [intro, setIntro] = useState('');
  const [address, setAddress] = useState('');
  const [items, setItems] = useState<ItemDraft[]>([]);
  const [slaUnit, setSlaUnit] = useState<SlaUnit>('hours');
  // As typed; each unit keeps its own figure, so switching back and forth loses nothing.
  const [slaHours, setSlaHours] = useState(String(DEFAULT_SLA_HOURS));
  const [slaWorkdays, setSlaWorkdays] = useState(String(DEFAULT_SLA_WORKDAYS));
  const [busy, setBusy] = useState(false);

  const load = async (studioId: string) => {
    setLoadError(null);
    try {
      const studio = await api.adminStudio(studioId);
      setLoaded(studio);
      setName(studio.name);
      setKind(studio.kind);
      setPlace((studio.kind === 'town' ? studio.town : studio.sector) ?? '');
      setIntro(studio.intro);
      setAddress(studio.address);
      setItems(studio.serviceItems.map((item) => draftOf(item)));
      setSlaUnit(studio.slaUnit);
      setSlaHours(String(studio.slaHours));
      setSlaWorkdays(String(studio.slaWorkdays));
    } catch (failure) {
      setLoadError(failure instanceof ApiError ? failure.message : '加载失败');
    }
  };
  useLoad((params: Record<string, string | undefined>) => {
    if (allowed && params.id) {
      setId(params.id);
      void load(params.id);
    }
  });

  const updateItem = (key: number, patch: Partial<ItemDraft>) =>
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  const slaMax = slaUnit === 'hours' ? MAX_SLA_HOURS : MAX_SLA_WORKDAYS;
  const slaAmount = wholeNumberIn(slaUnit === 'hours' ? slaHours : slaWorkdays, slaMax);
  const valid =
    name.trim() !== '' && place.trim() !== '' && items.every((item) => item.title.trim() !== '') && slaAmount !== null;

  const save = async () => {
    setBusy(true);
    const serviceItems = items.map((item) => ({
      ...(item.id ? { id: item.id } : {}),
      title: item.title.trim(),
      ...(item.summary.trim() ? { summary: item.summary.trim() } : {}),
    }));
    const placeFields = kind === 'town' ? { town: place.trim() } : { sector: place.trim() };
    // The figure of the unit chosen; the other unit's stays as it was.
    const deadline =
      slaUnit === 'hours'
        ? { slaUnit, slaHours: slaAmount ?? DEFAULT_SLA_HOURS }
        : { slaUnit, slaWorkdays: slaAmount ?? DEFAULT_SLA_WORKDAYS };
    let createdId = '';
    try {
      if (id) {
        await api.adminUpdateStudio(id, {
          name: name.trim(),
          kind,
          ...(kind === 'town' ? { sector: null } : { town: null }),
          ...placeFields,
          intro: intro.trim(),
          address: address.trim(),
          ...deadline,
          serviceItems,
        });
      } else {
        const studio = await api.adminCreateStudio({
          name: name.trim(),
          kind,
          ...placeFields,
          intro: intro.trim(),
          address: address.trim(),
          ...deadline,
          serviceItems: serviceItems.map(({ title, summary }) => ({ title, ...(summary ? { summary } : {}) })),
        });
        createdId = studio.id;
        // The list this form was opened from shows the new studio first, whatever it was filtered by.
        Taro.eventCenter.trigger(STUDIO_CREATED_EVENT, studio.id);
      }
      void Taro.showToast({ title: '已保存', icon: 'success' });
      const list = `/admin/studios/index${createdId ? `?created=${createdId}` : ''}`;
      setTimeout(() => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: list })), 600);
    } catch {
      // toast already shown
    } finally {
      setBusy(false);
    }
  };

  if (id && !loaded) {
    return (
      <PageShell className="admin-page">
        <AdminNav current="studios" />
        <View className="state">
          <Text className="state__text">{loadError ?? '正在加载…'}</Text>
          {loadError ? (
            <ActionButton className="tap" fill="outline" onClick={() => void load(id)}>
              重新加载
            </ActionButton>
          ) : null}
        </View>
      </PageShell>
    );
  }

  return (
    <PageShell className="admin-page">
      <AdminNav current="studios" />
      <Text className="h1">{id ? '编辑工作室' : '新建工作室'}</Text>
      {loaded && !loaded.active ? (
        <Text className="block warn">该工作室已停用，群众看不到它；可在列表中恢复。</Text>
      ) : null}
      {loaded?.active && loaded.receivingMemberCount === 0 ? <NoReceiverNotice studio={loaded} /> : null}
      <View className="card stack">
        <Text className="field__label">工作室名称</Text>
        <Input
          className="input-box studio-name-input"
          placeholder="如：硖石街道委员集体工作室"
          value={name}
          maxLength={60}
          onChange={(value: string) => setName(value)}
        />
        <Text className="field__label">类型</Text>
        <ChoiceChips
          label="工作室类型"
          choices={[
            { key: 'town', title: '镇街委员集体工作室', className: 'kind-town' },
            { key: 'sector', title: '界别委员工作室', className: 'kind-sector' },
          ]}
          value={kind}
          onChange={setKind}
        />
        <Text className="field__label">{kind === 'town' ? '所属镇/街道' : '所属界别'}</Text>
        <Input
          className="input-box studio-place-input"
          placeholder={kind === 'town' ? '如：硖石街道' : '如：经济界'}
          value={place}
          maxLength={40}
          onChange={(value: string) => setPlace(value)}
        />
        <Text className="field__label">简介</Text>
        <TextArea
          className="input-box studio-intro-input"
          placeholder="工作室的职责和特色"
          value={intro}
          maxLength={2000}
          onChange={(value: string) => setIntro(value)}
        />
        <Text className="field__label">地址</Text>
        <Input
          className="input-box"
          placeholder="群众可以找到工作室的地址"
          value={address}
          maxLength={200}
          onChange={(value: string) => setAddress(value)}
        />
      </View>

      <View className="card stack sla">
        <Text className="field__label">答复时限（群众留言后多久内答复，超时提醒委员并报机关）</Text>
        <ChoiceChips
          label="答复时限的计法"
          choices={[
            { key: 'hours', title: '按小时', className: 'sla-unit-hours' },
            { key: 'workdays', title: '按工作日', className: 'sla-unit-workdays' },
          ]}
          value={slaUnit}
          onChange={setSlaUnit}
        />
        <View className="row sla__amount">
          <Input
            className="input-box sla-amount-input"
            type="number"
            placeholder={
              slaUnit === 'hours' ? `答复时限（小时，1–${MAX_SLA_HOURS}）` : `答复时限（工作日，1–${MAX_SLA_WORKDAYS}）`
            }
            value={slaUnit === 'hours' ? slaHours : slaWorkdays}
            maxLength={3}
            onChange={(value: string) => (slaUnit === 'hours' ? setSlaHours(value) : setSlaWorkdays(value))}
          />
          <Text className="sla__unit">{SLA_UNIT_LABELS[slaUnit]}</Text>
        </View>
        {slaAmount === null ? (
          <Text className="warn small sla__invalid">
            请填写 1–{slaMax} 的整数{slaUnit === 'hours' ? '（小时）' : '（工作日）'}
          </Text>
        ) : null}
        {slaUnit === 'workdays' ? (
          <View className="stack sla__workdays">
            <Text className="muted small">
              按工作日计：周末和法定节假日不计，调休上班日计入；留言当天不算，自次日起第 {slaAmount ?? '…'}{' '}
              个工作日结束前需答复。节假日按“工作日历”计算，次年的放假安排请在那里核对。
            </Text>
            <Tap
              className="fold-toggle open-calendar"
              role="link"
              onTap={() => void Taro.navigateTo({ url: '/admin/calendar/index' })}
            >
              查看工作日历
            </Tap>
          </View>
        ) : null}
      </View>

      <Text className="h2">服务事项</Text>
      {items.map((item, index) => (
        <View key={item.key} className="card stack service-item">
          <View className="row row--between">
            <Text className="field__label">事项 {index + 1}</Text>
            <ActionButton
              className="tap"
              fill="none"
              label={`删除事项 ${index + 1}`}
              onClick={() => setItems((list) => list.filter((other) => other.key !== item.key))}
            >
              删除
            </ActionButton>
          </View>
          <Input
            className="input-box service-title-input"
            placeholder="事项名称"
            value={item.title}
            maxLength={60}
            onChange={(value: string) => updateItem(item.key, { title: value })}
          />
          <TextArea
            className="input-box"
            placeholder="事项简介（选填）"
            value={item.summary}
            maxLength={500}
            onChange={(value: string) => updateItem(item.key, { summary: value })}
          />
        </View>
      ))}
      {items.length < 30 ? (
        <ActionButton
          className="btn-block add-service-item"
          fill="outline"
          onClick={() => setItems((list) => [...list, draftOf()])}
        >
          添加服务事项
        </ActionButton>
      ) : null}
      <ActionButton
        className="btn-block save-studio"
        type="primary"
        loading={busy}
        disabled={busy || !valid}
        onClick={() => void save()}
      >
        保存
      </ActionButton>
    </PageShell>
  );
}
