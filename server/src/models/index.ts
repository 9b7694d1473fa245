import type { Connection } from 'mongoose';
import { studioModel } from './studios';
import { memberModel } from './members';
import { adminAccountModel, userModel } from './users';
import { ticketModel } from './tickets';
import { inviteModel } from './invites';
import { consentCreditModel, notificationModel } from './notifications';
import { uploadModel } from './uploads';
import { outcomeModel } from './outcomes';
import { starHistoryModel, starStateModel } from './stars';
import { followUpDueModel } from './followups';
import { projectModel } from './projects';
import { mediaCheckModel } from './media-check';
import { calendarDayModel } from './calendar-days';
import { cannedReplyModel } from './canned-replies';

/** Every model, bound to one connection. */
export function registerModels(connection: Connection) {
  return {
    Studio: studioModel(connection),
    Member: memberModel(connection),
    User: userModel(connection),
    AdminAccount: adminAccountModel(connection),
    Ticket: ticketModel(connection),
    Invite: inviteModel(connection),
    Notification: notificationModel(connection),
    ConsentCredit: consentCreditModel(connection),
    Upload: uploadModel(connection),
    Outcome: outcomeModel(connection),
    StarState: starStateModel(connection),
    StarHistory: starHistoryModel(connection),
    FollowUpDue: followUpDueModel(connection),
    Project: projectModel(connection),
    MediaCheck: mediaCheckModel(connection),
    CalendarDay: calendarDayModel(connection),
    CannedReply: cannedReplyModel(connection),
  };
}

export type Models = ReturnType<typeof registerModels>;
