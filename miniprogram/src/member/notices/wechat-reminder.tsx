import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { SubscriptionState, TemplateKey } from '@mashangshang/shared';
import { api, requestNoticeConsent } from '../../services/api';
import { ActionButton, Badge } from '../shared/controls';
import './wechat-reminder.css';

/** What a member is asked to allow: new tickets, deadlines, and tickets reopened (WeChat takes 3 at a time). */
const MEMBER_NOTICES: TemplateKey[] = ['ticket_assigned', 'deadline_reminder', 'ticket_reopened'];
const isWeapp = process.env.TARO_ENV === 'weapp';

/**
 * Whether a new ticket will reach the member on WeChat (the ticket_assigned subscribe message), and
 * when it will not, the way to allow it again. Without consent WeChat delivers nothing: the notice is
 * only in this list, and a member who does not open the app misses it.
 */
export function WechatReminder() {
  const [state, setState] = useState<SubscriptionState | null>(null);
  const [asking, setAsking] = useState(false);

  const load = async () => {
    try {
      setState((await api.mySubscriptions()).templates.ticket_assigned ?? null);
    } catch {
      setState(null); // nothing to say rather than something wrong
    }
  };
  useDidShow(() => void load());

  const ask = async () => {
    setAsking(true);
    try {
      const now = await requestNoticeConsent(MEMBER_NOTICES);
      if (now?.templates.ticket_assigned) setState(now.templates.ticket_assigned);
      else await load();
    } finally {
      setAsking(false);
    }
  };

  if (!state) return null;
  if (state.willNotify)
    return (
      <View className="card stack wechat-reminder wechat-reminder--on">
        <View className="row">
          <Badge tone="ok">微信提醒已开启</Badge>
        </View>
        <Text className="small">
          {state.longTerm
            ? '有新留言时，微信会通过服务通知提醒您。'
            : `有新留言时，微信会提醒您；还可提醒 ${state.credits} 次（每次同意可提醒一次），用完后请在这里再开启。`}
        </Text>
      </View>
    );
  // A long-term template turned off in WeChat's settings: asking again shows no dialog there.
  const turnedOff = state.longTerm && state.state === 'reject';
  return (
    <View className="card stack wechat-reminder wechat-reminder--off" {...{ role: 'status' }}>
      <View className="row">
        <Badge tone="warn">微信提醒未开启</Badge>
      </View>
      <Text className="small">
        有新留言时微信不会提醒您，只能打开小程序在这里查看。
        {turnedOff ? '您曾在微信中关闭了提醒，请在设置的“通知管理”中打开。' : ''}
        {isWeapp ? '' : '请在微信中打开“码上商”小程序，进入“消息”页开启。'}
      </Text>
      {isWeapp ? (
        <View className="row">
          <ActionButton
            className="tap enable-wechat-reminder"
            type="primary"
            loading={asking}
            disabled={asking}
            onClick={() => void ask()}
          >
            开启微信提醒
          </ActionButton>
          {turnedOff ? (
            <ActionButton
              className="tap"
              fill="outline"
              onClick={() => void Taro.openSetting({ withSubscriptions: true }).then(() => load())}
            >
              打开设置
            </ActionButton>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
