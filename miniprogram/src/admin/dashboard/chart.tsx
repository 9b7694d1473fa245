import { View } from '@tarojs/components';
import Echarts from 'taro-react-echarts';
// Only what the dashboard draws: bars, pies and lines on a canvas (H5 and weapp's <canvas type="2d">).
// This file is imported by the admin subpackage alone, so ECharts never enters the main package.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const CHART_COLORS = ['#b71c1c', '#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f'];

/**
 * One chart with a caption; `option` is an ECharts option object. The canvas is one image to a screen
 * reader, named by `summary` (its figures in words).
 */
export function Chart(props: {
  title: string;
  summary: string;
  option: Record<string, unknown>;
  height?: number;
  className?: string;
}) {
  return (
    <View className={`card chart-card ${props.className ?? ''}`}>
      <View className="chart-card__title">{props.title}</View>
      <View {...{ role: 'img', 'aria-label': `${props.title}：${props.summary}` }}>
        <Echarts
          echarts={echarts}
          option={{ color: CHART_COLORS, animation: false, ...props.option }}
          style={{ height: `${props.height ?? 240}px` }}
        />
      </View>
    </View>
  );
}
