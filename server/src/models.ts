import type { Connection } from 'mongoose';
import { studioModel } from './modules/studios/model';
import { memberModel } from './modules/members/model';
import { adminAccountModel, userModel } from './modules/users/model';
import { ticketModel } from './modules/tickets/model';
import { inviteModel } from './modules/invites/model';
import { consentCreditModel, notificationModel } from './modules/notifications/model';
import { uploadModel } from './modules/uploads/model';
import { outcomeModel } from './modules/outcomes/model';
import { starHistoryModel, starStateModel } from './modules/stars/model';
import { followUpDueModel } from './modules/followups/model';
import { projectModel } from './modules/projects/model';
import { mediaCheckModel } from './modules/media-check/model';

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
  };
}

export type Models = ReturnType<typeof registerModels>;
