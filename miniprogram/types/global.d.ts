/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

/** Where the weapp calls the API ('' in H5: same origin). Set by config/index.ts. */
declare const API_BASE: string;
/** 'on' outside production: the H5 demo sign-in through the fake WeChat code flow. */
declare const DEMO_SIGN_IN: string;
/** Comma-separated key=templateId pairs for requestSubscribeMessage; empty means the demo ids. */
declare const SUBSCRIBE_TEMPLATE_IDS: string;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | 'rn' | 'harmony';
    TARO_APP_ID?: string;
  }
}
