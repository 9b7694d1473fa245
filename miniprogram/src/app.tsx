import type { PropsWithChildren } from 'react';
import { installH5AppShell } from './components/h5-app';
import './app.css';

if (process.env.TARO_ENV === 'h5') installH5AppShell();

export default function App({ children }: PropsWithChildren) {
  return children;
}
