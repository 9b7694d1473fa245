import { Text, View } from '@tarojs/components';
import type { TimelineEventView } from '@mashangshang/shared';
import { eventTitle, formatTime } from '../services/format';

/** The ticket's history, oldest first; replies and notes show their text, internal notes are marked. */
export function Timeline(props: { events: TimelineEventView[] }) {
  const shown = props.events.filter((event) => event.type !== 'notified' && event.type !== 'notify_failed');
  return (
    <View className="timeline">
      {shown.map((event) => (
        <View
          key={event.id}
          className={`timeline__item${event.internal ? ' timeline__item--internal' : ''}${event.type === 'reply' ? ' timeline__item--reply' : ''}`}
        >
          <View className="row row--between">
            <Text className="timeline__title">{eventTitle(event)}</Text>
            <Text className="muted small">{formatTime(event.at)}</Text>
          </View>
          <Text className="muted small">{event.actor.name}</Text>
          {event.content ? <Text className="timeline__content">{event.content}</Text> : null}
          {event.internal ? <Text className="small warn">仅委员和机关可见</Text> : null}
        </View>
      ))}
    </View>
  );
}
