import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import CompressionPlugin from 'compression-webpack-plugin';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import type { IH5Config } from '@tarojs/taro/types/compile';
import type { Compiler } from 'webpack';

// The shared workspace is TypeScript source: compile it like our own code. It is taken from this
// checkout (alias below), not from wherever node_modules/@mashangshang/shared happens to point: a git
// worktree shares the main checkout's node_modules, whose link leads to the main checkout's shared/.
const sharedPackage = path.resolve(__dirname, '../../shared');
const sharedSource = path.join(sharedPackage, 'src');

type WebpackChain = Parameters<NonNullable<IH5Config['webpackChain']>>[0];

/**
 * Modules that only declare things (nothing happens when they are imported): webpack may then leave
 * out any whose exports a page does not use. shared/src is schemas, enums and labels; services/ is
 * the API client and the endpoints. Without this a page that shows one label from shared carries
 * every schema and TypeBox, and every page that imports `api` carries every service module (the
 * admin file viewer's image preview brings Swiper).
 */
function markSideEffectFree(chain: WebpackChain) {
  chain.module
    .rule('side-effect-free')
    .include.add(sharedSource)
    .add(path.resolve(__dirname, '../src/services'))
    .end()
    .set('sideEffects', false);
}

/**
 * The H5 app's chunks. Taro puts each page in a chunk of its own, loaded when the page opens, and
 * splits only the start-up code (Taro's runtime off the app); so each page's chunk repeated all it
 * shares with other pages (Taro's components and APIs, NutUI, the API client), downloaded again on
 * every page a visitor opens. Here what two or more pages use goes into chunks of its own, one per
 * set of pages sharing it, so a page loads only what it uses and the next page reuses what is
 * cached. The charts (ECharts, ZRender), used by the dashboard alone, are one chunk of their own.
 */
const H5_SPLIT_CHUNKS = {
  chunks: 'all',
  minSize: 20_000,
  hidePathInfo: true,
  cacheGroups: {
    default: false,
    defaultVendors: false,
    taro: { test: /[\\/]@tarojs[\\/]/, chunks: 'initial', name: false, priority: 100 },
    charts: {
      test: /[\\/]node_modules[\\/](echarts|zrender|taro-react-echarts)[\\/]/,
      chunks: 'async',
      name: 'charts',
      priority: 50,
    },
    shared: { chunks: 'async', minChunks: 2, name: false, priority: 10, reuseExistingChunk: true },
  },
} as const;

/** Writes the build's stats as JSON: every chunk, the modules in it and their sizes. */
class StatsFilePlugin {
  constructor(private readonly file: string) {}
  apply(compiler: Compiler) {
    compiler.hooks.done.tap('StatsFilePlugin', (stats) => {
      const json = stats.toJson({
        all: false,
        assets: true,
        chunks: true,
        chunkModules: true,
        chunkRelations: true,
        chunkOrigins: true,
        entrypoints: true,
        chunkGroups: true,
        ids: true,
        modules: false,
        nestedModules: true,
        dependentModules: true,
        orphanModules: false,
        modulesSpace: Infinity,
        nestedModulesSpace: Infinity,
        chunkModulesSpace: Infinity,
      });
      fs.writeFileSync(this.file, JSON.stringify(json));
    });
  }
}

/**
 * Taro build configuration for both targets:
 *   weapp → dist/weapp (open it in WeChat DevTools; appid from TARO_APP_ID, else WECHAT_APPID, else
 *           project.config.json's touristappid)
 *   h5    → dist/h5, served by the API under /app/ (browser history, basename /app)
 * API_BASE is where the weapp calls the API; the H5 build calls its own origin.
 */
export default defineConfig<'webpack5'>(async (merge) => {
  // Taro writes TARO_APP_ID into dist/weapp/project.config.json; the server's WECHAT_APPID names the same app.
  if (!process.env.TARO_APP_ID && process.env.WECHAT_APPID) process.env.TARO_APP_ID = process.env.WECHAT_APPID;
  const isH5 = process.env.TARO_ENV === 'h5';
  const apiBase = isH5 ? '' : (process.env.TARO_APP_API_BASE ?? 'http://127.0.0.1:3000');
  const production = process.env.NODE_ENV === 'production';
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'mashangshang',
    date: '2026-11-26',
    // NutUI is drawn for a 375 px design, our own styles for 750.
    designWidth(input) {
      return typeof input === 'object' && input?.file?.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750;
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV ?? 'weapp'}`,
    plugins: [],
    defineConstants: {
      API_BASE: JSON.stringify(apiBase),
      DEMO_SIGN_IN: JSON.stringify(process.env.TARO_APP_DEMO_SIGN_IN ?? 'on'),
      SUBSCRIBE_TEMPLATE_IDS: JSON.stringify(process.env.TARO_APP_TEMPLATE_IDS ?? ''),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    alias: { '@mashangshang/shared': sharedPackage },
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      // Modules used only by subpackages go into those subpackages, not the main package.
      optimizeMainPackage: { enable: true },
      // No minifyXML: its html-minifier drops the end of <input></input> and WeChat's compiler then
      // rejects base.wxml ("unexpected end tag: template"). WXML is compressed at upload instead
      // (project.config.json setting.minifyWXML), as the 代码质量 panel asks.
      compile: { include: [sharedSource] },
      webpackChain: markSideEffectFree,
    },
    h5: {
      publicPath: '/app/',
      compile: { include: [sharedSource] },
      staticDirectory: 'static',
      router: { mode: 'browser', basename: '/app' },
      // Text assets precompressed beside themselves (x.js.br, x.js.gz): the server sends the one the
      // browser accepts without compressing per request (@fastify/static preCompressed).
      webpackChain(chain) {
        // H5_STATS=<file>: webpack's stats (chunks, their modules and sizes) written there, to see what each page loads.
        if (process.env.H5_STATS) chain.plugin('stats-file').use(StatsFilePlugin, [process.env.H5_STATS]);
        markSideEffectFree(chain);
        if (!production) return;
        chain.optimization.splitChunks(H5_SPLIT_CHUNKS);
        const test = /\.(js|css|html|svg|json)$/;
        chain.plugin('brotli').use(CompressionPlugin, [
          {
            filename: '[path][base].br',
            algorithm: 'brotliCompress',
            test,
            threshold: 1024,
            minRatio: 0.9,
            compressionOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } },
          },
        ]);
        chain.plugin('gzip').use(CompressionPlugin, [
          {
            filename: '[path][base].gz',
            algorithm: 'gzip',
            test,
            threshold: 1024,
            minRatio: 0.9,
            compressionOptions: { level: 9 },
          },
        ]);
      },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        // Text stays the size of a 375 px phone's on tablets and desktops (the web console) instead
        // of doubling: NutUI's fallback sizes are in CSS px, and a wide screen should show more, not bigger.
        pxtransform: { enable: true, config: { maxRootSize: 20 } },
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
  };
  return merge({}, baseConfig, production ? {} : {});
});
