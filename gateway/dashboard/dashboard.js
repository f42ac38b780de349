// The leaders' dashboard: the district's targets and the supervision
// tickets (督办) from the gateway's JSON API, read and acted on with the
// token the user signs in with (the API decides what the token may do). Everything is drawn here from
// the API's answers; nothing is loaded from anywhere else.
'use strict';

const TOKEN_KEY = 'jiangan-token';
const HEALTH_LABELS = {
  GREEN: '正常',
  AMBER: '滞后',
  RED: '严重滞后',
  TARGET_HEALTH_UNSPECIFIED: '未知',
};
const SOURCE_LABELS = {
  renewal: '城市更新服务',
  investment: '招商引资服务',
  facilities: '公共服务设施服务',
};
// Jiang'an District's extent (common/geo/district.h): the map's frame.
const DISTRICT = { south: 30.57, north: 30.72, west: 114.26, east: 114.40 };
const CONTRIBUTIONS_PAGE = 20;

const $ = (id) => document.getElementById(id);

class Unauthenticated extends Error {}

// Calls the JSON API; throws Unauthenticated on 401, Error with the API's
// message otherwise.
async function api(path, options = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: `Bearer ${token}`, ...(options.headers || {}) },
  });
  if (response.status === 401) throw new Unauthenticated();
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try {
      message = (await response.json()).error.message;
    } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

async function apiJson(path) {
  return (await api(path)).json();
}

// POSTs `body` as JSON; the answer's JSON.
async function apiPost(path, body) {
  const response = await api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  for (const child of children) node.append(child);
  return node;
}

function svgElement(tag, attributes = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

function healthOf(target) {
  return target.health || 'TARGET_HEALTH_UNSPECIFIED';
}

function formatNumber(text) {
  if (text === undefined || text === '') return '—';
  const value = Number(text);
  return Number.isFinite(value) ? value.toLocaleString('zh-CN') : text;
}

function formatDate(date) {
  if (!date || !date.year) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

// Why the target stands where it does, in a sentence.
function reasonOf(target) {
  const percent = target.percentOfTarget || 0;
  const pace = target.pacePercent || 0;
  if (target.actualValue === undefined) {
    return target.measurement === 'REPORTED'
      ? '尚无数据：待责任单位填报。'
      : `尚无数据：统计服务暂时无法答复（${target.healthReason || ''}）。`;
  }
  if (target.bound === 'AT_MOST') {
    return percent <= 100
      ? `当前值 ${formatNumber(target.actualValue)}${target.unit}，控制在目标 ${target.targetValue}${target.unit} 以内。`
      : `当前值 ${formatNumber(target.actualValue)}${target.unit}，超出上限 ${(percent - 100).toFixed(1)}%。`;
  }
  if (percent >= 100 && target.bound !== 'ABOUT') {
    return `已完成目标：完成率 ${percent.toFixed(1)}%。`;
  }
  const lag = pace - percent;
  return lag > 0
    ? `完成率 ${percent.toFixed(1)}%，序时进度 ${pace.toFixed(1)}%，落后 ${lag.toFixed(1)} 个百分点。`
    : `完成率 ${percent.toFixed(1)}%，序时进度 ${pace.toFixed(1)}%，进度正常。`;
}

function targetQuery() {
  const parameters = new URLSearchParams({ page_size: '100' });
  const year = $('filter-year').value;
  if (year) parameters.append('year', year);
  const health = $('filter-health').value;
  const source = $('filter-source').value;
  const department = $('filter-department').value;
  if (health) parameters.append('filter.healths', health);
  if (source === 'REPORTED') parameters.append('filter.measurements', 'REPORTED');
  else if (source) parameters.append('filter.measured_by', source);
  if (department) parameters.append('filter.responsible_departments', department);
  return parameters;
}

function renderSummary(targets) {
  const counts = { RED: 0, AMBER: 0, GREEN: 0, TARGET_HEALTH_UNSPECIFIED: 0 };
  for (const target of targets) counts[healthOf(target)] += 1;
  const summary = $('summary');
  summary.replaceChildren(
    element('div', {}, [element('strong', { textContent: String(targets.length) }), '项目标']),
    ...Object.entries(counts).map(([health, count]) =>
      element('div', { className: `summary-${health}` }, [
        element('strong', { textContent: String(count) }),
        element('span', { className: `badge ${health}`, textContent: HEALTH_LABELS[health] }),
      ])),
  );
}

function progressBar(target) {
  const health = healthOf(target);
  const bar = element('div', { className: 'bar', title: reasonOf(target) });
  const fill = element('div', { className: `fill ${health}` });
  fill.style.width = `${Math.min(100, Math.max(0, target.percentOfTarget || 0))}%`;
  const pace = element('div', { className: 'pace' });
  pace.style.left = `${Math.min(100, target.pacePercent || 0)}%`;
  const known = target.actualValue !== undefined;
  // With no actual there is nothing to set against the pace.
  bar.append(...(known ? [fill, pace] : []));
  return element('div', {}, [
    bar,
    element('span', {
      className: 'percent',
      textContent: known
        ? `${(target.percentOfTarget || 0).toFixed(1)}% / 序时 ${(target.pacePercent || 0).toFixed(1)}%`
        : '—',
    }),
  ]);
}

// How last year's target, which this one continues, ended its year.
function previousResultText(target) {
  const previous = target.previousResult;
  if (!previous) return '—';
  const actual = previous.actualValue === undefined ? '未知' : formatNumber(previous.actualValue);
  const health = HEALTH_LABELS[previous.health || 'TARGET_HEALTH_UNSPECIFIED'];
  return `${previous.year}年：${actual} / ${formatNumber(previous.targetValue)} ${target.unit}（${health}）`;
}

// The years the catalog holds, latest selected until the reader picks one.
function renderYears(page) {
  const select = $('filter-year');
  const years = (page.years || []).map(String);
  const shown = [...select.options].map((option) => option.value);
  if (years.join() !== shown.join()) {
    select.replaceChildren(...years.map((year) => element('option', { value: year, textContent: `${year}年` })));
  }
  if (page.year) select.value = String(page.year);
  $('year-title').textContent = page.year ? `${page.year}年` : '';
}

function renderTargets(targets) {
  const rows = targets.map((target) => {
    const health = healthOf(target);
    const row = element('tr', {}, [
      element('td', { textContent: target.displayName }),
      element('td', {
        textContent: `${formatNumber(target.actualValue)} / ${formatNumber(target.targetValue)} ${target.unit}`,
      }),
      element('td', {}, [progressBar(target)]),
      element('td', {}, [element('span', { className: `badge ${health}`, textContent: HEALTH_LABELS[health] })]),
      element('td', { textContent: formatDate(target.asOf) }),
      element('td', { textContent: previousResultText(target) }),
    ]);
    row.dataset.name = target.name;
    row.addEventListener('click', guarded(() => showDetail(target.name)));
    return row;
  });
  $('targets').tBodies[0].replaceChildren(...rows);
}

let departmentsLoaded = false;

// The services' names as a leader knows them.
const SERVICE_NAMES = { renewal: '城市更新', investment: '招商引资', facilities: '公共服务设施' };

// An answer a service could not help with in full says so: it is not the
// truth to read off, and the page says which figures are missing.
function partialNotice(unreachable) {
  if (!unreachable || unreachable.length === 0) return '';
  const names = unreachable.map((name) => SERVICE_NAMES[name] || name).join('、');
  return `部分数据暂缺：${names}服务暂时无法答复，相关目标显示为“未知”，并非实际完成情况。请稍后刷新。`;
}

async function loadTargets() {
  $('list-error').textContent = '';
  const page = await apiJson(`/v1/targets?${targetQuery()}`);
  const targets = page.targets || [];
  $('list-error').textContent = partialNotice(page.unreachable);
  renderYears(page);
  renderTargets(targets);
  renderSummary(targets);
  if (!departmentsLoaded) {
    const departments = new Set(targets.map((t) => t.responsibleDepartment).filter(Boolean));
    for (const department of [...departments].sort()) {
      $('filter-department').append(element('option', { value: department, textContent: department }));
    }
    departmentsLoaded = true;
  }
  const day = targets.map((t) => formatDate(t.asOf)).filter(Boolean).sort().pop();
  $('as-of').textContent = day ? `数据截至 ${day}` : '';
}

function drawTrend(target) {
  const svg = $('trend');
  const width = 480;
  const height = 200;
  const left = 56;
  const bottom = 24;
  const goal = Number(target.targetValue) || 0;
  const points = (target.trend || []).map((p) => ({ month: p.month, value: Number(p.actualValue) || 0 }));
  const top = Math.max(goal, ...points.map((p) => p.value), 1) * 1.1;
  const x = (month) => left + ((month - 0.5) / 12) * (width - left - 8);
  const y = (value) => height - bottom - (value / top) * (height - bottom - 8);
  const nodes = [
    svgElement('line', { x1: left, y1: y(0), x2: width - 8, y2: y(0), stroke: '#98a2b3' }),
    svgElement('line', { x1: left, y1: y(goal), x2: width - 8, y2: y(goal), stroke: '#a4161a', 'stroke-dasharray': '4 3' }),
  ];
  const goalLabel = svgElement('text', { x: 4, y: y(goal) + 4, 'font-size': 11, fill: '#a4161a' });
  goalLabel.textContent = '目标';
  nodes.push(goalLabel);
  for (let month = 1; month <= 12; month += 1) {
    const label = svgElement('text', { x: x(month) - 8, y: height - 6, 'font-size': 11, fill: '#475467' });
    label.textContent = `${month}月`;
    nodes.push(label);
  }
  if (points.length > 0) {
    nodes.push(svgElement('polyline', {
      points: points.map((p) => `${x(p.month)},${y(p.value)}`).join(' '),
      fill: 'none', stroke: '#4e79a7', 'stroke-width': 2,
    }));
    for (const p of points) {
      nodes.push(svgElement('circle', { cx: x(p.month), cy: y(p.value), r: 3, fill: '#4e79a7' }));
    }
  }
  svg.replaceChildren(...nodes);
}

function renderBreakdown(target) {
  const rows = (target.breakdown || []).map((share) => element('tr', {}, [
    element('td', { textContent: share.subDistrict || '未注明街道' }),
    element('td', { textContent: `${formatNumber(share.actualValue)} ${target.unit}` }),
  ]));
  if (rows.length === 0) {
    rows.push(element('tr', {}, [element('td', { textContent: '该目标的记录不含街道' })]));
  }
  $('breakdown').tBodies[0].replaceChildren(...rows);
}

let contributionsToken = '';

async function loadContributions(name, unit, append) {
  const parameters = new URLSearchParams({ page_size: String(CONTRIBUTIONS_PAGE) });
  if (append && contributionsToken) parameters.set('page_token', contributionsToken);
  const page = await apiJson(`/v1/${name}/contributions?${parameters}`);
  const items = (page.contributions || []).map((contribution) => {
    const opens = !contribution.record.includes('/values/');
    const label = element('span', { textContent: `${contribution.record}：${formatNumber(contribution.value)} ${unit}` });
    const item = element('li', {}, [label]);
    if (opens) {
      item.append(' ', element('button', {
        type: 'button',
        textContent: '查看',
        onclick: guarded(() => showRecord(contribution.record)),
      }));
    }
    return item;
  });
  if (!append) {
    $('contributions').replaceChildren(...items);
    if (items.length === 0) $('contributions').append(element('li', { textContent: '暂无构成记录' }));
  } else {
    $('contributions').append(...items);
  }
  contributionsToken = page.nextPageToken || '';
  $('more-contributions').hidden = !contributionsToken;
}

const RECORD_FIELDS = [
  ['displayName', '名称'], ['kind', '类型'], ['phase', '阶段'], ['stage', '阶段'], ['status', '状态'],
  ['subDistrict', '街道'], ['address', '地址'], ['leadDepartment', '牵头单位'],
  ['ownerDepartment', '责任单位'], ['percentComplete', '形象进度(%)'], ['health', '健康度'],
  ['arrivedInvestmentYuan', '到资(元)'], ['capacity', '规模'], ['updateTime', '更新时间'],
];

// The record the issue form is about: the open target, or the record
// drilled down to.
let issueSubject = '';

function setIssueSubject(name, displayName) {
  issueSubject = name;
  $('issue-subject').textContent = `（${displayName}）`;
  $('issue-result').textContent = '';
  // One click issues: a demand is there to start from.
  if (!$('issue-demand').value) $('issue-demand').value = '请说明滞后原因，报送整改措施及完成时限。';
}

async function showRecord(record) {
  const resource = await apiJson(`/v1/${record}`);
  setIssueSubject(record, resource.displayName || record);
  $('record-title').textContent = resource.displayName || record;
  const fields = [];
  for (const [key, label] of RECORD_FIELDS) {
    if (resource[key] === undefined || resource[key] === '') continue;
    fields.push(element('dt', { textContent: label }), element('dd', { textContent: String(resource[key]) }));
  }
  fields.push(element('dt', { textContent: '资源名' }), element('dd', { textContent: record }));
  $('record-fields').replaceChildren(...fields);
  $('record').hidden = false;
}

async function showDetail(name) {
  const target = await apiJson(`/v1/${name}`);
  $('detail-title').textContent = target.displayName;
  setIssueSubject(name, target.displayName);
  $('detail-reason').textContent = reasonOf(target);
  $('detail-quote').textContent = `报告原文：${target.sourceQuote}`;
  const adjusted = target.adjustmentValue
    ? `；另含填报调整 ${formatNumber(target.adjustmentValue)}${target.unit}（${target.adjustmentText}，依据：${target.evidence}）`
    : '';
  $('detail-measure').textContent = target.measurement === 'COMPUTED'
    ? `系统计算（${SOURCE_LABELS[target.measuredBy] || target.measuredBy}）：${target.ruleText}${adjusted}`
    : (target.evidence ? `人工填报，依据：${target.evidence}（截至 ${formatDate(target.asOf)}）` : '人工填报：尚未填报');
  // Whose target it is, and whether the report says so or it was assigned.
  $('detail-department').textContent = !target.responsibleDepartment
    ? '责任单位：尚未明确'
    : `责任单位：${target.responsibleDepartment}（${target.responsibleDepartmentSource === 'REPORT' ? '报告原文' : '管理员指派'}）`;
  drawTrend(target);
  renderBreakdown(target);
  $('record').hidden = true;
  contributionsToken = '';
  await loadContributions(name, target.unit, false);
  $('more-contributions').onclick = guarded(() => loadContributions(name, target.unit, true));
  $('detail').hidden = false;
  $('detail').scrollIntoView({ behavior: 'smooth' });
}

async function drawMap() {
  const svg = $('map');
  const midLatitude = ((DISTRICT.north + DISTRICT.south) / 2) * (Math.PI / 180);
  // Equal distances look equal: a degree of longitude is cos(latitude) of one of latitude.
  const height = 600;
  const width = height * ((DISTRICT.east - DISTRICT.west) * Math.cos(midLatitude)) /
    (DISTRICT.north - DISTRICT.south);
  svg.setAttribute('viewBox', `0 0 ${width.toFixed(1)} ${height}`);
  const x = (longitude) => ((longitude - DISTRICT.west) / (DISTRICT.east - DISTRICT.west)) * width;
  const y = (latitude) => ((DISTRICT.north - latitude) / (DISTRICT.north - DISTRICT.south)) * height;
  const [projects, facilities] = await Promise.all([
    apiJson('/v1/projects?page_size=1000'),
    apiJson('/v1/facilities?page_size=1000'),
  ]);
  const nodes = [svgElement('rect', { x: 0, y: 0, width: width.toFixed(1), height, fill: 'none', stroke: '#98a2b3' })];
  let placed = 0;
  let unplaced = 0;
  const place = (records, draw) => {
    for (const record of records) {
      const location = record.location;
      if (!location || (location.latitude === undefined && location.longitude === undefined)) {
        unplaced += 1;
        continue;
      }
      const node = draw(x(location.longitude || 0), y(location.latitude || 0));
      const title = svgElement('title');
      title.textContent = record.displayName;
      node.append(title);
      node.addEventListener('click', guarded(() => showRecord(record.name)));
      nodes.push(node);
      placed += 1;
    }
  };
  place(projects.projects || [], (cx, cy) =>
    svgElement('circle', { cx, cy, r: 6, fill: '#4e79a7', 'fill-opacity': 0.8, class: 'project' }));
  place(facilities.facilities || [], (cx, cy) =>
    svgElement('rect', { x: cx - 5, y: cy - 5, width: 10, height: 10, fill: '#3a9d5d', class: 'facility' }));
  svg.replaceChildren(...nodes);
  $('map-note').textContent = `已标注 ${placed} 处；${unplaced} 处记录尚无坐标（报告未载明位置）。`;
}

const TICKET_STATES = {
  ISSUED: '待签收', ACCEPTED: '办理中', RESPONDED: '已反馈待审核', RETURNED: '已退回',
  CLOSED: '已销号', CANCELLED: '已撤销',
};
const LAMP_LABELS = { RED: '红灯', YELLOW: '黄灯', GREEN: '绿灯' };
// The steps each state offers: [label, custom method, what the note is].
const TICKET_STEPS = {
  ISSUED: [['签收', 'accept', '']],
  ACCEPTED: [['反馈', 'respond', 'progress']],
  RETURNED: [['反馈', 'respond', 'progress']],
  RESPONDED: [['退回', 'return', 'reason'], ['销号', 'close', 'note']],
};

async function takeStep(ticket, method, noteField) {
  $('ticket-error').textContent = '';
  const note = $('ticket-note').value.trim();
  const body = {};
  if (method === 'respond') {
    body.response = { progress: note };
    body.requestId = `dashboard-${ticket.name}-${ticket.etag}`;
  } else if (noteField) {
    body[noteField] = note;
  }
  if (ticket.etag) body.etag = ticket.etag;
  try {
    await apiPost(`/v1/${ticket.name}:${method}`, body);
    $('ticket-note').value = '';
  } catch (error) {
    if (error instanceof Unauthenticated) throw error;
    $('ticket-error').textContent = `未能办理：${error.message}`;
  }
  await loadSupervision();
}

async function loadTickets() {
  // A repeated field takes comma-separated values (gateway/http_transcoding).
  const parameters = new URLSearchParams({
    page_size: '200', order_by: 'deadline', 'filter.states': 'ISSUED,ACCEPTED,RETURNED,RESPONDED',
  });
  if ($('ticket-lamp').value) parameters.append('filter.lamps', $('ticket-lamp').value);
  if ($('ticket-department').value) {
    parameters.set('filter.assignee_department', $('ticket-department').value);
  }
  const page = await apiJson(`/v1/tickets?${parameters}`);
  const rows = (page.tickets || []).map((ticket) => {
    const lamp = ticket.lamp || '';
    const steps = (TICKET_STEPS[ticket.state] || []).map(([label, method, noteField]) => {
      const button = element('button', { type: 'button', textContent: label });
      button.dataset.step = method;
      button.addEventListener('click', guarded(() => takeStep(ticket, method, noteField)));
      return button;
    });
    const row = element('tr', {}, [
      element('td', {}, [element('span', { className: `lamp ${lamp}`, title: LAMP_LABELS[lamp] || '—' })]),
      element('td', { textContent: ticket.title }),
      element('td', { textContent: ticket.assigneeDepartment }),
      element('td', { textContent: TICKET_STATES[ticket.state] || ticket.state }),
      element('td', {
        textContent: `${formatDate(ticket.deadline)}${ticket.workingDaysLeft < 0 ? `（超期${-ticket.workingDaysLeft}个工作日）` : ''}`,
      }),
      element('td', {}, steps),
    ]);
    row.dataset.name = ticket.name;
    row.dataset.lamp = lamp;
    return row;
  });
  $('tickets').tBodies[0].replaceChildren(...rows);
}

async function loadScorecard() {
  const scorecard = await apiJson('/v1/tickets:summarizeDepartments');
  const scores = scorecard.scores || [];
  $('scorecard').tBodies[0].replaceChildren(...scores.map((score) => {
    const row = element('tr', {}, [
      score.rank, score.department, score.received || '0',
      `${score.acceptedOnTimePercent || 0}%`, `${score.respondedOnTimePercent || 0}%`,
      score.closed || '0', score.overdueNow || '0', score.averageDaysToClose || 0,
    ].map((cell) => element('td', { textContent: String(cell) })));
    row.dataset.department = score.department;
    return row;
  }));
  const select = $('ticket-department');
  const chosen = select.value;
  select.replaceChildren(element('option', { value: '', textContent: '全部' }),
    ...scores.map((score) => element('option', { value: score.department, textContent: score.department })));
  select.value = chosen;
}

async function loadSupervision() {
  await loadScorecard();
  await loadTickets();
}

async function issueTicket(event) {
  event.preventDefault();
  $('issue-result').textContent = '';
  const days = Number($('issue-days').value);
  try {
    const ticket = await apiPost('/v1/tickets', {
      title: `关于“${$('issue-subject').textContent.replace(/^（|）$/g, '')}”的督办单`,
      subject: { resource: issueSubject },
      demand: $('issue-demand').value.trim(),
      timeLimitWorkingDays: days,
    });
    $('issue-result').textContent = `已下发，承办单位：${ticket.assigneeDepartment}，办理时限：${formatDate(ticket.deadline)}`;
    $('issue-demand').value = '';
  } catch (error) {
    if (error instanceof Unauthenticated) throw error;
    $('issue-result').textContent = `未能下发：${error.message}`;
  }
  await loadSupervision();
}

async function downloadFile(path, fallbackName) {
  const response = await api(path);
  const disposition = response.headers.get('Content-Disposition') || '';
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const link = element('a', {
    href: URL.createObjectURL(await response.blob()),
    download: encoded ? decodeURIComponent(encoded[1]) : fallbackName,
  });
  document.body.append(link);
  link.click();
  link.remove();
}

async function download(format) {
  const parameters = targetQuery();
  parameters.delete('page_size');
  parameters.set('format', format);
  await downloadFile(`/v1/targets:export?${parameters}`, `targets.${format.toLowerCase()}`);
}

function showSignIn(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
}

// Runs `work`, sending the user back to sign in when the token is refused.
function guarded(work) {
  return async (...args) => {
    try {
      await work(...args);
    } catch (error) {
      if (error instanceof Unauthenticated) showSignIn('令牌无效或已失效，请重新登录。');
      else $('list-error').textContent = `出错了：${error.message}`;
    }
  };
}

const start = guarded(async () => {
  await loadTargets();
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  await drawMap();
  await loadSupervision();
});

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    start();
  });
  $('sign-out').addEventListener('click', () => showSignIn(''));
  for (const id of ['filter-year', 'filter-health', 'filter-source', 'filter-department']) {
    $(id).addEventListener('change', guarded(loadTargets));
  }
  $('detail-close').addEventListener('click', () => { $('detail').hidden = true; });
  $('export-xlsx').addEventListener('click', guarded(() => download('XLSX')));
  $('export-csv').addEventListener('click', guarded(() => download('CSV')));
  $('ticket-lamp').addEventListener('change', guarded(loadTickets));
  $('ticket-department').addEventListener('change', guarded(loadTickets));
  $('issue-form').addEventListener('submit', guarded(issueTicket));
  $('export-scorecard').addEventListener('click',
    guarded(() => downloadFile('/v1/tickets:exportScorecard', 'scorecard.xlsx')));
  if (sessionStorage.getItem(TOKEN_KEY)) start();
  else showSignIn('');
});
