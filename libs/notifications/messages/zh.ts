import { translation } from './catalog';

/** Simplified Chinese (mainland): 合作项目 is a partnership, 协调人 its coordinator. */
export const zh = translation('zh')({
  greeting: '{name}，您好：',
  footer: '此邮件由 Entente 系统自动发送，请勿直接回复。',
  deadline: '请于 {deadline} 前回复。',
  linkLine: '{label}：{url}',
  linkFallback: '如果按钮无法使用，请将以下链接复制到浏览器中打开：',
  approvalRequest: {
    subject: '审批请求：{subject}（{partnership}）',
    intro: '{requestedBy} 请您审批合作项目“{partnership}”中的“{subject}”。',
    action: '查看并审批',
  },
  reminder: {
    subject: '第 {n} 次提醒：{subject}（{partnership}）待审批',
    intro:
      '第 {n} 次提醒：{requestedBy} 提交的合作项目“{partnership}”中的“{subject}”仍在等待您的审批。',
  },
  escalation: {
    subject: '升级通知：{subject}（{partnership}）审批仍无回复',
    intro:
      '合作项目“{partnership}”中“{subject}”的审批在所有提醒之后仍无回复。审批期限为 {deadline}。',
    awaiting: '以下人员尚未作出决定：{names}。',
    action: '打开合作项目',
  },
  decision: {
    approvedSubject: '已批准：{subject}（{partnership}）',
    rejectedSubject: '已驳回：{subject}（{partnership}）',
    approved: '{decidedBy} 已于 {decidedAt} 批准合作项目“{partnership}”中的“{subject}”。',
    rejected: '{decidedBy} 已于 {decidedAt} 驳回合作项目“{partnership}”中的“{subject}”。',
    comment: '审批意见：',
    noComment: '未填写审批意见。',
    requestApproved: '至此，该审批请求已获批准并关闭。',
    requestRejected: '至此，该审批请求已被驳回并关闭。',
    action: '打开合作项目',
  },
  approvalExpired: {
    subject: '审批请求已过期：{subject}（{partnership}）',
    intro:
      '合作项目“{partnership}”中“{subject}”的审批请求已于 {deadline} 过期，未能收齐全部审批决定。',
    unanswered: '以下人员未作答复：{names}。',
    action: '打开合作项目',
  },
  taskOverdue: {
    subject: '任务逾期提醒（第 {n} 次）：{task}（{partnership}）',
    intro: '合作项目“{partnership}”中的任务“{task}”应于 {dueDate} 完成，目前尚未标记为已完成。',
    reminder: '这是第 {n} 次提醒。',
    coordinator: '如需延期或有任何疑问，请联系本合作项目的协调人 {coordinator}。',
    action: '打开任务',
  },
  stageStalled: {
    days: { other: '{n} 天' },
    subject: '合作项目停滞提醒：{partnership}（{days}无动态）',
    intro: '合作项目“{partnership}”在“{stage}”阶段自 {since} 起已 {days}没有任何动态。',
    suggestion: '建议您了解合作伙伴是否需要支持，以便推进工作。',
    action: '打开合作项目',
  },

  /** The approval page a partner contact opens from their e-mail (/a/:token). */
  approvalPage: {
    title: '审批请求',
    intro: '{name}，您好：现请求您的审批。',
    partnership: '合作项目',
    subject: '审批事项',
    requestedBy: '发起人',
    deadline: '请在此时间前答复',
    approve: '批准',
    reject: '拒绝',
    comment: '意见',
    commentHint: '拒绝时必填',
    thanksApproved: '谢谢，您的批准已记录。',
    thanksRejected: '谢谢，您的拒绝及意见已记录，并已通知协调人。',
    alreadyDecided: '您的答复此前已记录：{outcome}。未做任何更改。',
    closed: '此请求已关闭（{status}）。未做任何更改。',
    invalid: '此链接无效。请使用邮件中的原始链接。',
    expired: '此链接已过期。请联系协调人重新发起请求。',
    commentRequired: '请说明拒绝的理由。',
    notApprover: '您已不再是此请求的审批人。未做任何更改。',
    unavailable:
      '暂时无法记录您的答复：Entente 依赖的某项服务没有响应。未做任何更改。请过几分钟后使用同一链接重试。',
    received: '您的答复已收到，正在记录。记录完成后再次打开链接即可看到。',
    outcomes: {
      approved: '已批准',
      rejected: '已拒绝',
      pending: '待处理',
      withdrawn: '已撤回',
      expired: '已过期',
    },
  },

  /** The task page a partner contact opens from an overdue-task e-mail (/t/:token). */
  taskPage: {
    title: '您的任务',
    intro: '{name}，您好：合作项目中的以下任务已分配给您。',
    partnership: '合作项目',
    task: '任务',
    stage: '阶段',
    dueDate: '截止日期',
    coordinator: '协调人',
    doneHeading: '将任务标记为已完成',
    doneComment: '备注（选填）',
    doneHint: '例如：达成了哪些共识，或成果存放在何处。',
    done: '标记为已完成',
    blockedHeading: '任务遇到阻碍',
    blockedReason: '是什么阻碍了任务完成？',
    blockedHint: '协调人将在合作项目的时间线上看到此信息。',
    blocked: '提交',
    thanksDone: '谢谢，任务已标记为已完成。协调人将在合作项目的时间线上看到。',
    thanksBlocked: '谢谢，任务遇到的阻碍已记录。协调人将在合作项目的时间线上看到。',
    alreadyDone: '此任务已完成。未做任何更改。',
    blockAlreadyReported: '此信息此前已记录。未做任何更改。',
    ended: '此合作项目已结束（{status}）。未做任何更改。',
    notAssigned: '此任务已不再分配给您。未做任何更改。',
    unavailable:
      '暂时无法记录您的答复：Entente 依赖的某项服务没有响应。未做任何更改。请过几分钟后使用同一链接重试。',
    received: '您的答复已收到，正在记录。记录完成后再次打开链接即可看到。',
    invalid: '此链接无效。请使用邮件中的原始链接。',
    expired: '此链接已过期。未做任何更改。请联系本合作项目的协调人。',
    reasonRequired: '请说明任务遇到的阻碍。',
    chooseAction: '请使用两个按钮之一。',
    statuses: { closed: '已关闭', agreed: '已达成协议' },
  },
});
