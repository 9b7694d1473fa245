import { Text, View } from '@tarojs/components';
import { Button } from './ui';
import { ErrorState, type Failure } from './error-state';

/** Loading, error and empty states shared by every list. */
export function ListState(props: {
  loading: boolean;
  error: string | null;
  /** With it, a list that could not load at all says what happened and what to do, with the way home. */
  failure?: Failure | null;
  empty: boolean;
  emptyText: string;
  onRetry: () => void;
  hasMore: boolean;
  count: number;
}) {
  if (props.error && props.count === 0) {
    if (props.failure) return <ErrorState failure={props.failure} onRetry={props.onRetry} />;
    return (
      <View className="state">
        <Text className="state__text">{props.error}</Text>
        <Button className="tap" type="primary" fill="outline" onClick={props.onRetry}>
          重新加载
        </Button>
      </View>
    );
  }
  if (props.loading && props.count === 0)
    return (
      <View className="state" role="status">
        <Text className="state__text">正在加载…</Text>
      </View>
    );
  if (props.empty) {
    return (
      <View className="state state--empty">
        <Text className="state__icon" ariaHidden="true">
          ○
        </Text>
        <Text className="state__text">{props.emptyText}</Text>
      </View>
    );
  }
  if (props.loading)
    return (
      <View className="state state--more" role="status">
        <Text className="muted">正在加载更多…</Text>
      </View>
    );
  if (!props.hasMore)
    return (
      <View className="state state--more">
        <Text className="muted">没有更多了</Text>
      </View>
    );
  return null;
}
