import { sceneForStudioCode, studioCodeFromScene } from '../src';

describe('studio scene strings', () => {
  it('round-trips a studio code through its scene', () => {
    expect(studioCodeFromScene(sceneForStudioCode('xs01'))).toBe('xs01');
  });

  it('accepts the bare code as printed on a poster', () => {
    expect(studioCodeFromScene('xs01')).toBe('xs01');
  });

  it('rejects scenes that cannot name a studio', () => {
    expect(studioCodeFromScene('s=')).toBeNull();
    expect(studioCodeFromScene('s=../../etc')).toBeNull();
    expect(studioCodeFromScene('s=UPPER')).toBeNull();
  });
});
