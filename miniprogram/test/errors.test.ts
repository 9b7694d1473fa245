import { toastTextFor } from '../src/services/errors';

describe('error toasts', () => {
  it('shows the server message when it is Chinese', () => {
    expect(
      toastTextFor({
        statusCode: 404,
        body: { code: 'STUDIO_NOT_FOUND', message: '没有找到这个委员工作室，请确认二维码是否正确' },
      }),
    ).toBe('没有找到这个委员工作室，请确认二维码是否正确');
  });

  it('falls back to the message of the error code', () => {
    expect(toastTextFor({ statusCode: 429, body: { code: 'RATE_LIMITED', message: 'Too Many Requests' } })).toBe(
      '操作太频繁，请稍后再试',
    );
  });

  it('explains network failures and server outages in Chinese', () => {
    expect(toastTextFor({ networkError: true })).toContain('网络');
    expect(toastTextFor({ statusCode: 502, body: '<html>bad gateway</html>' })).toBe('服务暂时不可用，请稍后再试');
  });
});
