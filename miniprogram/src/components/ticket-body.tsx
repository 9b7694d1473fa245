import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { TICKET_CATEGORY_LABELS, TICKET_OUTCOME_LABELS, type TicketDetail } from '@mashangshang/shared';
import { imageUrl } from '../services/api';
import { dueText, formatTime } from '../services/format';
import { OverdueTag, StatusTag } from './status-tag';
import { Tap } from './tap';
import { Button } from './ui';

/** Shown on a photo WeChat's image check has not passed (only its uploader and admins get such photos). */
const IMAGE_CHECK_LABELS = { pending: '图片检测中', review: '待人工复核', risky: '未通过检测' } as const;

/**
 * What a ticket says and where it stands: shared by the resident's and the member's detail pages.
 * With `onImageDecision` (admins) each photo held for manual review, or refused, gets its decision.
 */
export function TicketBody(props: {
  ticket: TicketDetail;
  forMember?: boolean;
  onImageDecision?: (imageId: string, verdict: 'pass' | 'risky') => void;
}) {
  const { ticket } = props;
  const urls = ticket.images.map((image) => imageUrl(image.url));
  return (
    <View className="card">
      <View className="row row--between">
        <Text className="ticket-card__no">{ticket.no}</Text>
        <View className="row">
          {ticket.overdue ? <OverdueTag /> : null}
          <StatusTag status={ticket.status} className="ticket-status" />
        </View>
      </View>
      <Text className="block muted small">
        {TICKET_CATEGORY_LABELS[ticket.category]} · {ticket.studio.name} · {formatTime(ticket.createdAt)}
      </Text>
      <Text className="block ticket-content" style={{ margin: '16px 0', wordBreak: 'break-all' }}>
        {ticket.content}
      </Text>
      {urls.length ? (
        <View className="photos">
          {ticket.images.map((image, i) => (
            <View key={image.id} className="photo">
              <Tap
                className="photo__open"
                label={`查看第 ${i + 1} 张图片的大图`}
                onTap={() => void Taro.previewImage({ urls, current: urls[i]! })}
              >
                <Image
                  className="photo__img"
                  src={urls[i]!}
                  mode="aspectFill"
                  nativeProps={{ alt: `留言图片 ${i + 1}` }}
                />
              </Tap>
              {image.check ? <Text className="photo__progress">{IMAGE_CHECK_LABELS[image.check]}</Text> : null}
            </View>
          ))}
        </View>
      ) : null}
      {props.onImageDecision
        ? ticket.images.map((image, i) =>
            image.check === 'review' || image.check === 'risky' ? (
              <View key={image.id} className="image-decision row row--between">
                <Text className="small">
                  第 {i + 1} 张图片{image.check === 'review' ? '待人工复核' : '未通过微信检测'}
                </Text>
                <View className="row">
                  <Button
                    size="small"
                    type="primary"
                    className="image-decision__pass"
                    onClick={() => props.onImageDecision!(image.id, 'pass')}
                  >
                    可以展示
                  </Button>
                  {image.check === 'review' ? (
                    <Button
                      size="small"
                      fill="outline"
                      className="image-decision__reject"
                      onClick={() => props.onImageDecision!(image.id, 'risky')}
                    >
                      不予展示
                    </Button>
                  ) : null}
                </View>
              </View>
            ) : null,
          )
        : null}
      {props.forMember ? (
        <View className="stack small" style={{ marginTop: '16px' }}>
          <Text>留言人：{ticket.residentName}</Text>
          {ticket.contactPhone ? (
            <Text>
              联系电话：{ticket.contactPhone}
              {ticket.allowContact ? '（可回电）' : ''}
            </Text>
          ) : null}
          {ticket.status === 'assigned' ? (
            <Text className={ticket.overdue ? 'danger' : 'muted'}>答复时限：{dueText(ticket.dueAt)}</Text>
          ) : null}
          {ticket.contentCheck !== 'pass' ? <Text className="warn">内容安全复核中，请勿公开转发</Text> : null}
        </View>
      ) : null}
      {ticket.assignee ? <Text className="block muted small">承办委员：{ticket.assignee.name}</Text> : null}
      {ticket.outcome ? <Text className="block small">办理结果：{TICKET_OUTCOME_LABELS[ticket.outcome]}</Text> : null}
    </View>
  );
}
