/**
 * The NutUI-React-Taro widgets we use, imported one by one with their own styles, so the bundle
 * carries only these (the whole library's CSS alone is 230 KB).
 */
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/textarea/style/css';
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css';

// With the role, Tab stop and keys Taro's H5 button lacks.
export { Button } from './nut-button';
export { default as TextArea } from '@nutui/nutui-react-taro/dist/es/packages/textarea';
export { default as Input } from '@nutui/nutui-react-taro/dist/es/packages/input';
