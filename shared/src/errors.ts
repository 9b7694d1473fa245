/**
 * Stable machine codes for every error the API returns, with the Chinese message shown to users.
 * The server throws `AppError(code)`; the mini-program maps a code back to its message.
 */
export const ERROR_MESSAGES = {
  VALIDATION_FAILED: '提交的内容不符合要求，请检查后重试',
  UNAUTHORIZED: '请先登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  FORBIDDEN: '您没有权限进行此操作',
  NOT_FOUND: '您要找的内容不存在或已被删除',
  ROUTE_NOT_FOUND: '请求的接口不存在',
  CONFLICT: '当前状态下无法进行此操作，请刷新后重试',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容格式',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  SERVICE_UNAVAILABLE: '服务暂时不可用，请稍后再试',
  INTERNAL_ERROR: '服务器开小差了，请稍后再试',
  WECHAT_CODE_INVALID: '微信登录凭证无效或已过期，请重新进入小程序',
  WECHAT_UNAVAILABLE: '微信服务暂时无法连接，请稍后再试',
  BAD_CREDENTIALS: '用户名或密码错误',
  STUDIO_NOT_FOUND: '没有找到这个委员工作室，请确认二维码是否正确',
  STUDIO_CODE_TAKEN: '该工作室编码已被使用，请换一个编码',
  MEMBER_NOT_FOUND: '没有找到这位委员',
  MEMBER_INACTIVE: '该委员已停用，请先启用后再操作',
  MEMBER_ALREADY_BOUND: '该委员身份已绑定其他微信，如需更换请联系政协机关',
  ACCOUNT_ALREADY_BOUND: '您的微信已绑定其他委员身份，如需更换请联系政协机关',
  INVITE_INVALID: '邀请码无效或已过期，请联系政协机关重新获取',
  INVITE_NOT_FOUND: '没有找到这个邀请码',
  INVITE_NOT_PENDING: '这个邀请码已使用、已过期或已作废，无需再作废',
  TICKET_NOT_FOUND: '没有找到这条留言，或您无权查看',
  CONTENT_RISKY: '内容包含不适宜发布的信息，请修改后再提交',
  CONTENT_TOO_SHORT: '请至少填写 5 个字，把问题说清楚',
  TICKET_RESOLVED: '该留言已办结，如问题未解决请申请重新办理',
  TICKET_NOT_ANSWERED: '委员尚未回复，暂时不能进行此操作',
  TICKET_NOT_RESOLVED: '该留言尚未办结',
  ALREADY_RATED: '您已经评价过了，感谢您的反馈',
  REOPEN_WINDOW_PASSED: '办结已超过 7 天，无法重新办理，请重新提交留言',
  MEMBER_NOT_AVAILABLE: '该委员不可接收此留言，请选择本工作室的在职委员',
  IMAGES_INVALID: '图片无效或已被使用，请重新上传',
  UPLOAD_TYPE_NOT_ALLOWED: '只能上传 JPG、PNG 或 WebP 格式的图片',
  UPLOAD_TOO_LARGE: '图片不能超过 5 MB',
  UPLOAD_FILE_MISSING: '请选择要上传的图片',
  UPLOAD_TOO_MANY_FILES: '一次只能上传一张图片',
  STATS_NOT_READY: '统计数据正在生成，请稍后刷新',
  TICKET_WAITING: '这条留言正在等待群众补充信息，收到补充后才能继续办理',
  INFO_NOT_REQUESTED: '这条留言现在不需要补充信息，如有新情况请在留言详情中申请重新办理或重新留言',
  FOLLOW_UP_NOT_ASKED: '工作室还没有就这条留言回访您，暂时不能回复',
  FOLLOW_UP_ANSWERED: '您已经回复过这次回访，感谢您的反馈',
  PUSH_SIGNATURE_INVALID: '消息推送签名无效',
  POSTER_FONT_MISSING: '海报所需的中文字体尚未安装，请联系系统管理员',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export function errorMessage(code: string): string {
  return (ERROR_MESSAGES as Record<string, string>)[code] ?? ERROR_MESSAGES.INTERNAL_ERROR;
}
