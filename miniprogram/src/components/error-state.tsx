import { Text, View } from '@tarojs/components';
import { ApiError } from '../services/api';
import { Button } from './ui';
import { goTo, HOME_PAGE } from './navigation';

/** What went wrong, in words a resident can act on. */
export interface Failure {
  title: string;
  hint: string;
  /** Whether trying again can help (the network, the server), not for what does not exist. */
  retry: boolean;
}

const OFFLINE: Failure = {
  title: '网络连接失败',
  hint: '请检查手机是否连上了网络（无线网或移动数据），连上后点“重新加载”。',
  retry: true,
};

const SERVER_DOWN: Failure = {
  title: '服务器暂时出了问题',
  hint: '这不是您操作的问题。请过一两分钟再点“重新加载”。',
  retry: true,
};

/** A failed request as a Failure: offline, the server's fault, or what the server said (`notFound` for 404/400). */
export function failureOf(error: unknown, notFound?: Failure): Failure {
  if (error instanceof ApiError) {
    if (error.networkError) return OFFLINE;
    if (error.statusCode >= 500 || error.code === 'UNEXPECTED_RESPONSE') return SERVER_DOWN;
    if (notFound && (error.statusCode === 404 || error.statusCode === 400)) return notFound;
    return { title: error.message, hint: '您可以重新加载，或回到首页。', retry: true };
  }
  return SERVER_DOWN;
}

/**
 * A page that could not be shown: what happened, what to do, 重新加载 when it can help, and always
 * the way to the studio list.
 */
export function ErrorState(props: {
  failure: Failure;
  onRetry?: () => void;
  /** In place of going to the list: for the list page itself, which shows the list again. */
  onHome?: () => void;
  className?: string;
}) {
  const { failure } = props;
  return (
    <View className={`state error-state${props.className ? ` ${props.className}` : ''}`} role="alert">
      <Text className="state__icon" ariaHidden="true">
        !
      </Text>
      <Text className="error-state__title">{failure.title}</Text>
      <Text className="error-state__hint">{failure.hint}</Text>
      <View className="error-state__actions">
        {failure.retry && props.onRetry ? (
          <Button className="btn-block error-retry" type="primary" onClick={props.onRetry}>
            重新加载
          </Button>
        ) : null}
        <Button
          className="btn-block error-home"
          fill="outline"
          type="primary"
          onClick={props.onHome ?? (() => goTo(HOME_PAGE))}
        >
          回到首页，查看全部工作室
        </Button>
      </View>
    </View>
  );
}
