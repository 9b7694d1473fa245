import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from './common';

/** `wxacode`: the mini-program code from WeChat (scene inside); `h5`: a plain QR code of the H5 link. */
export const STUDIO_CODE_TYPES = ['wxacode', 'h5'] as const;
export type StudioCodeType = (typeof STUDIO_CODE_TYPES)[number];

/** WeChat draws mini-program codes between 280 and 1280 pixels wide. */
export const STUDIO_CODE_MIN_WIDTH = 280;
export const STUDIO_CODE_MAX_WIDTH = 1280;

export const StudioCodeQuery = Type.Object(
  {
    type: Type.Optional(literalUnion(STUDIO_CODE_TYPES)),
    width: Type.Optional(
      Type.Integer({
        minimum: STUDIO_CODE_MIN_WIDTH,
        maximum: STUDIO_CODE_MAX_WIDTH,
        default: 430,
        description: '图片宽度（像素）',
      }),
    ),
  },
  { additionalProperties: false },
);
export type StudioCodeQuery = Static<typeof StudioCodeQuery>;

/** The characters WeChat allows in a `scene` (at most 32 of them). */
export const SCENE_ALPHABET_PATTERN = "^[0-9A-Za-z!#$&'()*+,/:;=?@\\-._~]{1,32}$";

export const POSTER_FORMATS = ['pdf', 'png'] as const;
export const PosterQuery = Type.Object(
  { format: Type.Optional(literalUnion(POSTER_FORMATS)) },
  { additionalProperties: false },
);
export type PosterQuery = Static<typeof PosterQuery>;
export const PosterArchiveQuery = Type.Object(
  {
    format: Type.Optional(literalUnion(['pdf', 'zip'] as const)),
    town: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '只要这个镇/街道的工作室' })),
    sector: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '只要这个界别的工作室' })),
  },
  { additionalProperties: false },
);
export type PosterArchiveQuery = Static<typeof PosterArchiveQuery>;
