import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { ROLES, UPLOAD_CONTENT_TYPES, type Role, type UploadContentType } from '@mashangshang/shared';

/** One uploaded image. The bytes are in `UploadStorage` under `storageKey`. */
export interface UploadDoc {
  _id: Types.ObjectId;
  /** The User id (resident, member) or the admin account id of the uploader. */
  ownerId: Types.ObjectId;
  /** Role at upload time; tells whether `ownerId` names a User or an admin account. */
  ownerRole: Role;
  storageKey: string;
  /** Detected from the bytes. */
  contentType: UploadContentType;
  size: number;
  /** Hex SHA-256 of the bytes, for audits and de-duplication later. */
  sha256: string;
  /** The ticket it was attached to at submit time; null while unattached. */
  ticketId: Types.ObjectId | null;
  createdAt: Date;
}

const uploadSchema = new Schema<UploadDoc>(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true },
    ownerRole: { type: String, enum: ROLES, required: true },
    storageKey: { type: String, required: true },
    contentType: { type: String, enum: UPLOAD_CONTENT_TYPES, required: true },
    size: { type: Number, required: true, min: 1 },
    sha256: { type: String, required: true },
    ticketId: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

uploadSchema.index({ storageKey: 1 }, { unique: true });
uploadSchema.index({ ownerId: 1, createdAt: -1 });
uploadSchema.index({ ticketId: 1 });

export type UploadModel = Model<UploadDoc>;

export function uploadModel(connection: Connection): UploadModel {
  return connection.model<UploadDoc>('Upload', uploadSchema);
}
