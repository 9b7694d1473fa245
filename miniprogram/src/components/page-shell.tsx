import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useState, type ReactNode } from 'react';
import { STORAGE_KEYS } from '../services/store';
import { taroStore } from '../services/api';
import { canGoBack, goBack, goTo, HOME_PAGE, MINE_PAGE } from './navigation';
import { Tap } from './tap';

export function readLargeText(): boolean {
  return taroStore.get<boolean>(STORAGE_KEYS.largeText) === true;
}

export function writeLargeText(on: boolean): void {
  taroStore.set(STORAGE_KEYS.largeText, on);
  Taro.eventCenter.trigger(LARGE_TEXT_EVENT, on);
}

const LARGE_TEXT_EVENT = 'mss:large-text';
const isH5 = process.env.TARO_ENV === 'h5';

/** Which of the resident's two places a page is (or `other` for the pages in between). */
export type ResidentPlace = 'studios' | 'mine' | 'other';

/**
 * The H5 title bar: WeChat draws its own with back and home; a browser has only its back button,
 * which from a page opened by a link would leave the app.
 */
function TopBar(props: { title: string; home: boolean }) {
  const back = canGoBack();
  return (
    <View className="topbar" role="banner">
      {props.home ? null : (
        <Tap className="topbar__back" label={back ? '返回上一页' : '回到首页'} onTap={goBack}>
          <Text className="topbar__back-icon" ariaHidden="true">
            {back ? '‹' : '⌂'}
          </Text>
          <Text>{back ? '返回' : '首页'}</Text>
        </Tap>
      )}
      <Text className="topbar__title" role="heading" ariaLevel="1">
        {props.title}
      </Text>
    </View>
  );
}

/** The resident's bottom bar: the studio list and 我的留言, from every resident page. */
function BottomNav(props: { place: ResidentPlace }) {
  return (
    <View className="bottom-nav" role="navigation" ariaLabel="主要页面">
      <Tap
        role="link"
        className={`bottom-nav__item${props.place === 'studios' ? ' bottom-nav__item--on' : ''} nav-studios`}
        current={props.place === 'studios'}
        label="全部工作室"
        onTap={() => goTo(HOME_PAGE)}
      >
        <Text className="bottom-nav__icon" ariaHidden="true">
          ⌂
        </Text>
        <Text>全部工作室</Text>
      </Tap>
      <Tap
        role="link"
        className={`bottom-nav__item${props.place === 'mine' ? ' bottom-nav__item--on' : ''} nav-mine`}
        current={props.place === 'mine'}
        label="我的留言"
        onTap={() => goTo(MINE_PAGE)}
      >
        <Text className="bottom-nav__icon" ariaHidden="true">
          ✉
        </Text>
        <Text>我的留言</Text>
      </Tap>
    </View>
  );
}

/**
 * Every page's outer box: applies the 适老化 large-text setting, re-read each time the page shows.
 * A resident page (`resident`) also gets the bottom bar and, in H5, a title bar with the way back.
 */
export function PageShell(props: {
  children: ReactNode;
  className?: string;
  resident?: ResidentPlace;
  title?: string;
}) {
  const [large, setLarge] = useState(readLargeText);
  useDidShow(() => setLarge(readLargeText()));
  useEffect(() => {
    const onChange = (on: boolean) => setLarge(on);
    Taro.eventCenter.on(LARGE_TEXT_EVENT, onChange);
    return () => void Taro.eventCenter.off(LARGE_TEXT_EVENT, onChange);
  }, []);
  useEffect(() => {
    // Taro's H5 toasts and modals sit outside the page box; let them follow the setting too.
    if (isH5) document.documentElement.classList.toggle('large-text', large);
  }, [large]);
  const resident = props.resident;
  const classes = `page${large ? ' page--large' : ''}${resident ? ' page--resident' : ''}${props.className ? ` ${props.className}` : ''}`;
  return (
    <View className={classes}>
      {resident && isH5 ? <TopBar title={props.title ?? '码上商'} home={resident === 'studios'} /> : null}
      <View className="page__main" role="main">
        {props.children}
      </View>
      {resident ? <BottomNav place={resident} /> : null}
    </View>
  );
}
