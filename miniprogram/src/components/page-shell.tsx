import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useState, type ReactNode } from 'react';
import { STORAGE_KEYS } from '../services/store';
import { taroStore } from '../services/api';

export function readLargeText(): boolean {
  return taroStore.get<boolean>(STORAGE_KEYS.largeText) === true;
}

export function writeLargeText(on: boolean): void {
  taroStore.set(STORAGE_KEYS.largeText, on);
  Taro.eventCenter.trigger(LARGE_TEXT_EVENT, on);
}

const LARGE_TEXT_EVENT = 'mss:large-text';

/** Every page's outer box: applies the 适老化 large-text setting, re-read each time the page shows. */
export function PageShell(props: { children: ReactNode; className?: string }) {
  const [large, setLarge] = useState(readLargeText);
  useDidShow(() => setLarge(readLargeText()));
  useEffect(() => {
    const onChange = (on: boolean) => setLarge(on);
    Taro.eventCenter.on(LARGE_TEXT_EVENT, onChange);
    return () => void Taro.eventCenter.off(LARGE_TEXT_EVENT, onChange);
  }, []);
  useEffect(() => {
    // Taro's H5 toasts and modals sit outside the page box; let them follow the setting too.
    if (process.env.TARO_ENV === 'h5') document.documentElement.classList.toggle('large-text', large);
  }, [large]);
  return (
    <View className={`page${large ? ' page--large' : ''}${props.className ? ` ${props.className}` : ''}`}>
      {props.children}
    </View>
  );
}
