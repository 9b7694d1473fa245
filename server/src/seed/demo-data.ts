/**
 * Demo data for `npm start` and tests: Haining's 12 towns and streets, one collective studio each,
 * plus sector studios. Every person's name here is invented.
 */

/** The 18 sectors (界别), grouped into 6 joint groups (联组). */
const JOINT_GROUPS: { name: string; sectors: string[] }[] = [
  { name: '第一联组', sectors: ['中共', '民革', '民盟', '民建'] },
  { name: '第二联组', sectors: ['民进', '农工党', '九三学社'] },
  { name: '第三联组', sectors: ['无党派人士', '工商联', '经济界'] },
  { name: '第四联组', sectors: ['农业和农村界', '科技界', '教育界'] },
  { name: '第五联组', sectors: ['文化艺术界', '医药卫生界', '体育和新闻出版界'] },
  { name: '第六联组', sectors: ['社会福利和社会保障界', '特邀界'] },
];

export function jointGroupOf(sector: string): string | null {
  return JOINT_GROUPS.find((group) => group.sectors.includes(sector))?.name ?? null;
}

export interface DemoStudio {
  code: string;
  name: string;
  kind: 'town' | 'sector';
  town: string | null;
  sector: string | null;
  address: string;
  intro: string;
  star: number;
  slaHours: number;
  /** Set: the studio's deadline counts China's working days instead of hours. */
  slaWorkdays?: number;
  serviceItems: { title: string; summary: string }[];
  members: { key: string; name: string; title: string; lead?: boolean }[];
}

const TOWNS: { code: string; name: string; address: string; items: string[] }[] = [
  {
    code: 'hnxs',
    name: '硖石街道',
    address: '海宁市硖石街道西山路 8 号便民服务中心二楼',
    items: ['老旧小区改造议事厅', '商圈经营者恳谈'],
  },
  {
    code: 'hnhz',
    name: '海洲街道',
    address: '海宁市海洲街道文苑路 66 号',
    items: ['社区养老服务点对点', '背街小巷改造建言'],
  },
  {
    code: 'hnhc',
    name: '海昌街道',
    address: '海宁市海昌街道双联路 128 号',
    items: ['企业用工政策咨询', '新居民融入服务'],
  },
  {
    code: 'hnmq',
    name: '马桥街道',
    address: '海宁市马桥街道经都二路 2 号',
    items: ['经编产业转型问计', '工业园区安全生产宣讲'],
  },
  {
    code: 'hnxc',
    name: '许村镇',
    address: '海宁市许村镇许巷大道 1 号',
    items: ['家纺企业法律咨询', '乡村道路出行建言'],
  },
  {
    code: 'hnca',
    name: '长安镇',
    address: '海宁市长安镇修川路 288 号',
    items: ['高铁新城建设问需', '长安古镇文化传承'],
  },
  {
    code: 'hnzw',
    name: '周王庙镇',
    address: '海宁市周王庙镇博儒桥路 1 号',
    items: ['农村垃圾分类督导', '皮件产业发展座谈'],
  },
  { code: 'hnyg', name: '盐官镇', address: '海宁市盐官镇宰相路 9 号', items: ['观潮景区服务提升', '文旅融合发展问计'] },
  { code: 'hnxq', name: '斜桥镇', address: '海宁市斜桥镇斜桥路 100 号', items: ['榨菜产业助农服务', '农村养老互助'] },
  { code: 'hndq', name: '丁桥镇', address: '海宁市丁桥镇新仓路 18 号', items: ['蚕桑文化保护', '村级集体经济建言'] },
  {
    code: 'hnyh',
    name: '袁花镇',
    address: '海宁市袁花镇袁溪路 50 号',
    items: ['金庸故里文化服务', '小微企业融资对接'],
  },
  {
    code: 'hnhw',
    name: '黄湾镇',
    address: '海宁市黄湾镇尖山大道 6 号',
    items: ['尖山新区企业服务', '海塘安澜工程宣讲'],
  },
];

const SECTOR_STUDIOS: { code: string; sector: string; address: string; items: string[]; slaWorkdays?: number }[] = [
  {
    code: 'hnjj',
    sector: '经济界',
    address: '海宁市水月亭西路 268 号市政协大楼一楼',
    items: ['企业政策直通车', '营商环境问题收集'],
  },
  {
    code: 'hnyw',
    sector: '医药卫生界',
    address: '海宁市人民医院门诊楼一楼',
    items: ['专家义诊进村社', '健康科普讲座'],
  },
  { code: 'hnjy', sector: '教育界', address: '海宁市教育发展中心三楼', items: ['家庭教育指导', '助学圆梦'] },
  {
    code: 'hnny',
    sector: '农业和农村界',
    address: '海宁市农业农村局一楼',
    items: ['农技服务下乡', '共富工坊建设咨询'],
    // Its service centre keeps office hours: its deadline counts working days (the demo of that setting).
    slaWorkdays: 2,
  },
  { code: 'hngs', sector: '工商联', address: '海宁市工商联会议室', items: ['民营企业法律体检', '青年企业家成长营'] },
];

const SURNAMES = ['沈', '徐', '钱', '陆', '吴', '朱', '周', '顾', '张', '王', '陈', '许', '金', '蒋', '褚', '姚', '查'];
const GIVEN_NAMES = [
  '明远',
  '嘉怡',
  '思源',
  '建华',
  '晓岚',
  '国平',
  '文涛',
  '静怡',
  '子恒',
  '海燕',
  '立新',
  '雨桐',
  '振宇',
  '慧敏',
  '一凡',
  '春华',
  '志强',
];
const OCCUPATIONS = ['企业负责人', '律师', '医生', '中学教师', '社区工作者', '农业合作社理事长', '工程师', '会计师'];

/** Deterministic invented names, so every seeded database has the same people. */
function inventMember(index: number): { name: string; occupation: string } {
  const surname = SURNAMES[index % SURNAMES.length] ?? '沈';
  const given = GIVEN_NAMES[(index * 7 + 3) % GIVEN_NAMES.length] ?? '明远';
  return { name: surname + given, occupation: OCCUPATIONS[(index * 5) % OCCUPATIONS.length] ?? '工程师' };
}

function membersFor(studioCode: string, firstIndex: number, count: number): DemoStudio['members'] {
  return Array.from({ length: count }, (_, offset) => {
    const person = inventMember(firstIndex + offset);
    return {
      key: `${studioCode}-${offset + 1}`,
      name: person.name,
      title: `市政协委员，${person.occupation}`,
      ...(offset === 0 ? { lead: true } : {}),
    };
  });
}

export function demoStudios(): DemoStudio[] {
  let memberIndex = 0;
  const studios: DemoStudio[] = [];
  for (const [i, town] of TOWNS.entries()) {
    const count = 2 + (i % 2);
    studios.push({
      code: town.code,
      name: `${town.name}委员集体工作室`,
      kind: 'town',
      town: town.name,
      sector: null,
      address: town.address,
      intro: `${town.name}委员集体工作室由在${town.name}工作、生活的市政协委员组成，扎根基层，倾听群众心声，协助解决群众急难愁盼问题。扫码即可 24 小时“码上商”。`,
      star: 3 + (i % 3),
      slaHours: 24,
      serviceItems: town.items.map((title) => ({ title, summary: `${title}：委员定期接待，群众可随时在线留言。` })),
      members: membersFor(town.code, memberIndex, count),
    });
    memberIndex += count;
  }
  for (const [i, sector] of SECTOR_STUDIOS.entries()) {
    studios.push({
      code: sector.code,
      name: `${sector.sector}委员工作室`,
      kind: 'sector',
      town: null,
      sector: sector.sector,
      address: sector.address,
      intro: `${sector.sector}委员工作室发挥界别特色，围绕本界别群众关心的问题开展协商议事和特色服务。`,
      star: 4 + (i % 2),
      slaHours: 48,
      ...(sector.slaWorkdays ? { slaWorkdays: sector.slaWorkdays } : {}),
      serviceItems: sector.items.map((title) => ({ title, summary: `${title}：由${sector.sector}委员提供专业服务。` })),
      members: membersFor(sector.code, memberIndex, 3),
    });
    memberIndex += 3;
  }
  return studios;
}

/** Office-wide 常用回复 of the demo ({称呼} and {工作室名} are filled in when a member inserts one). */
export const DEMO_CANNED_REPLIES: { title: string; text: string }[] = [
  { title: '已收到，正在了解', text: '{称呼}您好，{工作室名}已收到您的留言，委员正在了解情况，会尽快给您答复。' },
  { title: '已转交相关部门', text: '{称呼}您好，您反映的问题已转交相关职能部门办理，办理结果我们会及时告诉您。' },
  { title: '需要补充情况', text: '{称呼}您好，为便于办理，请补充具体地点、时间和联系方式，谢谢您的支持。' },
];
