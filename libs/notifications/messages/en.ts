/**
 * English: the reference catalog. Its keys and, in each message, its placeholders are what every
 * other language must have (see catalog.ts).
 */
export const en = {
  // What every e-mail shares.
  greeting: 'Dear {name},',
  footer: 'This is an automated message from Entente. Please do not reply to this e-mail.',
  deadline: 'Please respond by {deadline}.',
  /** A link in the plain-text part: its label, then the URL. */
  linkLine: '{label}: {url}',
  /** Above the link's URL in the HTML part, under its button. */
  linkFallback: 'If the button does not work, copy this link into your browser:',
  // One message group per kind of e-mail (../emails/ lays each out).
  approvalRequest: {
    subject: 'Approval requested: {subject} – {partnership}',
    intro:
      '{requestedBy} has asked you to approve “{subject}” for the partnership “{partnership}”.',
    action: 'Review and decide',
  },
  reminder: {
    subject: 'Reminder {n}: approval pending for {subject} – {partnership}',
    intro:
      'This is reminder no. {n}: your approval of “{subject}” for the partnership “{partnership}”, requested by {requestedBy}, is still pending.',
  },
  escalation: {
    subject: 'Escalation: no answer to {subject} – {partnership}',
    intro:
      'The approval of “{subject}” in the partnership “{partnership}” is still unanswered after every reminder. Its deadline is {deadline}.',
    awaiting: 'Still awaiting a decision from: {names}.',
    action: 'Open the partnership',
  },
  decision: {
    approvedSubject: 'Approved: {subject} – {partnership}',
    rejectedSubject: 'Rejected: {subject} – {partnership}',
    approved:
      '{decidedBy} approved “{subject}” for the partnership “{partnership}” on {decidedAt}.',
    rejected:
      '{decidedBy} rejected “{subject}” for the partnership “{partnership}” on {decidedAt}.',
    comment: 'Comment:',
    noComment: 'No comment was given.',
    /** Added when the decision closed the request with that status. */
    requestApproved: 'With this decision, the request is approved and now closed.',
    requestRejected: 'With this decision, the request is rejected and now closed.',
    action: 'Open the partnership',
  },
  approvalExpired: {
    subject: 'Approval request expired: {subject} – {partnership}',
    intro:
      'The approval request “{subject}” for the partnership “{partnership}” expired on {deadline} before all decisions had been received.',
    unanswered: 'No answer was received from: {names}.',
    action: 'Open the partnership',
  },
  comment: {
    subject: 'A comment on the partnership “{partnership}”',
    subjectTask: 'A comment on “{task}” – {partnership}',
    intro: '{author} commented on the partnership “{partnership}”:',
    introTask: '{author} commented on the task “{task}” of the partnership “{partnership}”:',
    answer: 'To answer, please write to {coordinator} ({email}), who coordinates this partnership.',
    action: 'Open the task',
    actionPartnership: 'Open the partnership',
  },
  taskOverdue: {
    subject: 'Overdue task (reminder {n}): {task} – {partnership}',
    intro:
      'The task “{task}” in the partnership “{partnership}” was due on {dueDate} and has not been marked as completed yet.',
    reminder: 'This is reminder no. {n}.',
    coordinator:
      'If you need more time or have any questions, please contact {coordinator}, who coordinates this partnership.',
    action: 'Open the task',
  },
  knowledgeRequest: {
    subject: 'Please share your knowledge – {partnership}',
    intro:
      '{coordinator} asks you to share what {organisation} knows about these topics for the partnership “{partnership}”: {topics}.',
    howTo:
      'Please write in your own language; the other partners see each contribution side by side with theirs.',
    action: 'Share your knowledge',
  },
  weeklyDigest: {
    subject:
      'Your week in Entente: {advanced} advanced, {waiting} waiting on partners, {overdue} overdue',
    intro: 'Here is where your partnerships stand, from {from} to {to}.',
    advancedHeading: 'What advanced ({n})',
    advancedItem: '{partnership}: now in “{stage}” since {at}',
    waitingHeading: 'What waits on whom ({n})',
    waitingItem: '{partnership}: {organisation} – {approvals}, {tasks}',
    approvals: { one: '{n} approval pending', other: '{n} approvals pending' },
    tasks: { one: '{n} open task', other: '{n} open tasks' },
    overdueHeading: 'What is overdue ({n})',
    overdueItem: '{task} – {partnership} (due {dueDate})',
    nothing: 'Nothing this week.',
    schedule:
      'This digest comes once a week in your time zone ({zone}). You can change your time zone or turn the digest off on your account page.',
    action: 'Open the board',
  },
  stageStalled: {
    /** "14 days": a plural, by the count's category in each language. */
    days: { one: '{n} day', other: '{n} days' },
    subject: 'No activity for {days}: {partnership}',
    intro:
      'The partnership “{partnership}” has had no activity in the stage “{stage}” since {since} ({days}).',
    suggestion: 'Please check whether the partners need support to move forward.',
    action: 'Open the partnership',
  },

  /** The approval page a partner contact opens from their e-mail (/a/:token). */
  approvalPage: {
    title: 'Approval request',
    intro: '{name}, your approval is requested.',
    partnership: 'Partnership',
    subject: 'To approve',
    requestedBy: 'Requested by',
    deadline: 'Please answer by',
    approve: 'Approve',
    reject: 'Reject',
    comment: 'Comment',
    commentHint: 'Required when you reject',
    thanksApproved: 'Thank you: your approval is recorded.',
    thanksRejected:
      'Thank you: your rejection and comment are recorded. The coordinator has been told.',
    alreadyDecided: 'Your answer was already recorded: {outcome}. Nothing was changed.',
    closed: 'This request is closed ({status}). Nothing was changed.',
    invalid: 'This link is not valid. Please use the link from your e-mail exactly as it was sent.',
    expired: 'This link has expired. Please ask the coordinator for a new request.',
    commentRequired: 'Please say why you reject.',
    notApprover: 'You are no longer an approver of this request. Nothing was changed.',
    unavailable:
      'We could not record your answer just now: a service Entente depends on did not respond. Nothing was changed. Please try again in a few minutes with the same link.',
    received:
      'Your answer was received and is being recorded. Opening the link again shows it once it is recorded.',
    outcomes: {
      approved: 'approved',
      rejected: 'rejected',
      pending: 'pending',
      withdrawn: 'withdrawn',
      expired: 'expired',
    },
  },

  /** The comment form of the partner pages (/a/:token, /t/:token): a comment for the coordinator. */
  partnerComment: {
    heading: 'A comment for the coordinator',
    label: 'Your comment',
    hint: '{coordinator} receives it by e-mail; it is on the partnership’s timeline.',
    send: 'Send the comment',
    thanks: 'Thank you: your comment is recorded and sent to the coordinator.',
    tooLong: 'Your comment is longer than 4,000 characters: please shorten it.',
    required: 'Please write the comment.',
  },

  /** The task page a partner contact opens from an overdue-task e-mail (/t/:token). */
  taskPage: {
    title: 'Your task',
    intro: '{name}, this task of a partnership is assigned to you.',
    partnership: 'Partnership',
    task: 'Task',
    stage: 'Stage',
    dueDate: 'Due date',
    coordinator: 'Coordinator',
    doneHeading: 'Mark the task as done',
    doneComment: 'Comment (optional)',
    doneHint: 'For example, what was agreed or where the result can be found.',
    done: 'Mark as done',
    blockedHeading: 'Something keeps the task from being done',
    blockedReason: 'What is blocking it?',
    blockedHint: 'The coordinator sees it on the partnership’s timeline.',
    blocked: 'Send',
    thanksDone:
      'Thank you: the task is marked as done. The coordinator sees it on the partnership’s timeline.',
    thanksBlocked:
      'Thank you: what is blocking the task is recorded. The coordinator sees it on the partnership’s timeline.',
    alreadyDone: 'This task is already done. Nothing was changed.',
    blockAlreadyReported: 'This was already recorded. Nothing was changed.',
    ended: 'This partnership has ended ({status}). Nothing was changed.',
    notAssigned: 'This task is no longer assigned to you. Nothing was changed.',
    answeredByApproval:
      'This task is not marked as done here: the partners’ approval completes it. The coordinator asks for it, and each partner contact asked answers from their approval request e-mail. Nothing was changed.',
    approvalPending:
      'This task is not marked as done here: the partners’ approval completes it. Your approval is requested: answer with the link in the e-mail “{email}”, by {deadline}. Nothing was changed.',
    unavailable:
      'We could not record your answer just now: a service Entente depends on did not respond. Nothing was changed. Please try again in a few minutes with the same link.',
    received:
      'Your answer was received and is being recorded. Opening the link again shows it once it is recorded.',
    invalid: 'This link is not valid. Please use the link from your e-mail exactly as it was sent.',
    expired:
      'This link has expired. Nothing was changed. Please contact the coordinator of the partnership.',
    reasonRequired: 'Please say what is blocking the task.',
    chooseAction: 'Please use one of the buttons.',
    statuses: { closed: 'closed', agreed: 'agreed' },
  },
  calendarEvent: {
    invitationSubject: 'Invitation: {title} – {partnership}',
    updateSubject: 'Changed: {title} – {partnership}',
    cancellationSubject: 'Cancelled: {title} – {partnership}',
    removalSubject: 'No longer invited: {title} – {partnership}',
    reminderSubject: 'Reminder: {title} – {partnership}',
    invitation:
      '{organiser} invites you to the {kind} “{title}” of the partnership “{partnership}”.',
    update:
      '{organiser} has changed the {kind} “{title}” of the partnership “{partnership}”. This replaces the earlier invitation.',
    cancellation:
      '{organiser} has cancelled the {kind} “{title}” of the partnership “{partnership}”.',
    removal:
      '{organiser} has taken you off the attendees of the {kind} “{title}” of the partnership “{partnership}”: you are no longer invited. The attached notice removes it from your calendar.',
    reminder: 'A reminder: the {kind} “{title}” of the partnership “{partnership}” is coming up.',
    when: 'When: {start} to {end} (your time, {zone}). In UTC: {utc}.',
    place: 'Where: {place}',
    online: 'Join online: {url}',
    calendarNote: 'The invitation attached to this e-mail adds the event to your calendar.',
    cancelNote: 'The notice attached to this e-mail removes the event from your calendar.',
    answer: 'Accept or decline',
    openEvent: 'Open the partnership',
    kinds: { meeting: 'meeting', seminar: 'seminar', training: 'training' },
  },
  eventPage: {
    title: 'Your answer to an invitation',
    intro: 'Dear {name}, please say whether you will attend.',
    event: 'Event',
    partnership: 'Partnership',
    when: 'When (your time)',
    where: 'Where',
    online: 'Join online',
    organiser: 'Organiser',
    yourAnswer: 'Your answer',
    answers: { pending: 'not given yet', accepted: 'accepted', declined: 'declined' },
    accept: 'Accept',
    decline: 'Decline',
    thanksAccepted: 'Thank you: you have accepted. The organiser sees your answer on the event.',
    thanksDeclined: 'Thank you: you have declined. The organiser sees your answer on the event.',
    cancelled: 'This event was cancelled. Nothing was changed.',
    started: 'This event has already started. Nothing was changed.',
    notAttendee: 'You are no longer invited to this event. Nothing was changed.',
    unavailable:
      'We could not record your answer just now: a service Entente depends on did not respond. Nothing was changed. Please try again in a few minutes with the same link.',
    received:
      'Your answer was received and is being recorded. Opening the link again shows it once it is recorded.',
    invalid: 'This link is not valid. Please use the link from your e-mail exactly as it was sent.',
    expired: 'This link has expired: the event is over. Nothing was changed.',
    chooseAction: 'Please use one of the two buttons.',
  },
  /** The knowledge-sharing page a partner contact opens from their e-mail (/k/:token). */
  knowledgePage: {
    title: 'Share your knowledge',
    intro:
      '{name}, please write what {organisation} knows about each topic, in your own language. The other partners see it side by side with theirs.',
    partnership: 'Partnership',
    coordinator: 'Coordinator',
    required: 'Required',
    optional: 'Optional',
    yourContribution: 'Contribution of {organisation}',
    text: 'Text',
    language: 'Language of the text',
    links: 'Links (optional, one per line)',
    linksHint: 'Web addresses starting with https:// or http://, at most {max}.',
    lastEdited: 'Last edited by {author} on {at} (version {revision}).',
    save: 'Save',
    thanks:
      'Thank you: your contribution to “{topic}” is recorded. The coordinator sees it on the partnership’s timeline.',
    unchanged: 'This contribution was already recorded as it is. Nothing was changed.',
    textRequired: 'Please write a text before saving.',
    invalidLinks:
      'Please check the links: each must be a web address starting with https:// or http://, at most {max}.',
    unknownTopic: 'This topic no longer exists. Nothing was changed.',
    notPartner:
      'You are no longer a contact of a partner organisation of this partnership. Nothing was changed.',
    ended: 'This partnership has ended ({status}). Nothing was changed.',
    unavailable:
      'We could not record your contribution just now: a service Entente depends on did not respond. Nothing was changed. Please try again in a few minutes with the same link.',
    received:
      'Your contribution was received and is being recorded. Opening the link again shows it once it is recorded.',
    invalid: 'This link is not valid. Please use the link from your e-mail exactly as it was sent.',
    expired:
      'This link has expired. Nothing was changed. Please ask the coordinator of the partnership for a new one.',
    languages: { en: 'English', es: 'Spanish', zh: 'Chinese' },
    statuses: { closed: 'closed', agreed: 'agreed' },
  },
} as const;
