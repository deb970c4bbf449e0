import { translation } from './catalog';

/** Spanish (Spain): formal “usted”; a colaboración is a partnership, a socio a partner. */
export const es = translation('es')({
  greeting: 'Estimado/a {name}:',
  footer:
    'Este es un mensaje automático de Entente. Por favor, no responda a este correo electrónico.',
  deadline: 'Plazo de respuesta: {deadline}.',
  linkLine: '{label}: {url}',
  linkFallback: 'Si el botón no funciona, copie este enlace en su navegador:',
  approvalRequest: {
    subject: 'Solicitud de aprobación: {subject} – {partnership}',
    intro: '{requestedBy} le solicita que apruebe «{subject}» en la colaboración «{partnership}».',
    action: 'Revisar y decidir',
  },
  reminder: {
    subject: 'Recordatorio n.º {n}: aprobación pendiente de {subject} – {partnership}',
    intro:
      'Le recordamos (aviso n.º {n}) que sigue pendiente su aprobación de «{subject}» en la colaboración «{partnership}», solicitada por {requestedBy}.',
  },
  escalation: {
    subject: 'Escalado: sin respuesta a {subject} – {partnership}',
    intro:
      'La aprobación de «{subject}» en la colaboración «{partnership}» sigue sin respuesta tras todos los recordatorios. El plazo vence el {deadline}.',
    awaiting: 'Aún falta la decisión de: {names}.',
    action: 'Abrir la colaboración',
  },
  decision: {
    approvedSubject: 'Solicitud aprobada: {subject} – {partnership}',
    rejectedSubject: 'Solicitud rechazada: {subject} – {partnership}',
    approved: '{decidedBy} aprobó «{subject}» en la colaboración «{partnership}» el {decidedAt}.',
    rejected: '{decidedBy} rechazó «{subject}» en la colaboración «{partnership}» el {decidedAt}.',
    comment: 'Comentario:',
    noComment: 'No se añadió ningún comentario.',
    requestApproved: 'Con esta decisión, la solicitud queda aprobada y cerrada.',
    requestRejected: 'Con esta decisión, la solicitud queda rechazada y cerrada.',
    action: 'Abrir la colaboración',
  },
  approvalExpired: {
    subject: 'Solicitud de aprobación vencida: {subject} – {partnership}',
    intro:
      'La solicitud de aprobación de «{subject}» en la colaboración «{partnership}» venció el {deadline}, sin que se hubieran recibido todas las decisiones.',
    unanswered: 'No se recibió respuesta de: {names}.',
    action: 'Abrir la colaboración',
  },
  comment: {
    subject: 'Un comentario sobre la colaboración «{partnership}»',
    subjectTask: 'Un comentario sobre «{task}» – {partnership}',
    intro: '{author} ha comentado la colaboración «{partnership}»:',
    introTask: '{author} ha comentado la tarea «{task}» de la colaboración «{partnership}»:',
    answer: 'Para responder, escriba a {coordinator} ({email}), que coordina esta colaboración.',
    action: 'Abrir la tarea',
    actionPartnership: 'Abrir la colaboración',
  },
  taskOverdue: {
    subject: 'Tarea vencida (recordatorio n.º {n}): {task} – {partnership}',
    intro:
      'La tarea «{task}» de la colaboración «{partnership}» debía completarse el {dueDate} y todavía no figura como completada.',
    reminder: 'Este es el recordatorio n.º {n}.',
    coordinator:
      'Si necesita más tiempo o tiene alguna duda, póngase en contacto con {coordinator}, que coordina esta colaboración.',
    action: 'Abrir la tarea',
  },
  knowledgeRequest: {
    subject: 'Comparta su conocimiento – {partnership}',
    intro:
      '{coordinator} le pide que comparta lo que {organisation} sabe sobre estos temas para la colaboración «{partnership}»: {topics}.',
    howTo: 'Escriba en su propio idioma; los demás socios verán cada aportación junto a la suya.',
    action: 'Compartir conocimiento',
  },
  weeklyDigest: {
    subject:
      'Su semana en Entente – avances: {advanced}; pendientes de los socios: {waiting}; vencidas: {overdue}',
    intro: 'Así están sus colaboraciones, del {from} al {to}.',
    advancedHeading: 'Qué avanzó ({n})',
    advancedItem: '{partnership}: ahora en «{stage}» desde el {at}',
    waitingHeading: 'Qué espera de quién ({n})',
    waitingItem: '{partnership}: {organisation} – {approvals}, {tasks}',
    approvals: {
      one: '{n} aprobación pendiente',
      many: '{n} aprobaciones pendientes',
      other: '{n} aprobaciones pendientes',
    },
    tasks: { one: '{n} tarea abierta', many: '{n} tareas abiertas', other: '{n} tareas abiertas' },
    overdueHeading: 'Qué está vencido ({n})',
    overdueItem: '{task} – {partnership} (vencía el {dueDate})',
    nothing: 'Nada esta semana.',
    schedule:
      'Este resumen llega una vez por semana en su zona horaria ({zone}). Puede cambiar su zona horaria o desactivar el resumen en la página de su cuenta.',
    action: 'Abrir el tablero',
  },
  stageStalled: {
    days: { one: '{n} día', many: '{n} días', other: '{n} días' },
    subject: 'Sin actividad desde hace {days}: {partnership}',
    intro:
      'La colaboración «{partnership}» no registra actividad en la etapa «{stage}» desde el {since} ({days}).',
    suggestion: 'Le sugerimos comprobar si los socios necesitan apoyo para avanzar.',
    action: 'Abrir la colaboración',
  },

  /** The approval page a partner contact opens from their e-mail (/a/:token). */
  approvalPage: {
    title: 'Solicitud de aprobación',
    intro: '{name}, se solicita su aprobación.',
    partnership: 'Colaboración',
    subject: 'Para aprobar',
    requestedBy: 'Solicitado por',
    deadline: 'Responda antes de',
    approve: 'Aprobar',
    reject: 'Rechazar',
    comment: 'Comentario',
    commentHint: 'Obligatorio si rechaza',
    thanksApproved: 'Gracias: su aprobación ha quedado registrada.',
    thanksRejected:
      'Gracias: su rechazo y su comentario han quedado registrados. Se ha informado al coordinador.',
    alreadyDecided: 'Su respuesta ya estaba registrada: {outcome}. No se ha cambiado nada.',
    closed: 'Esta solicitud está cerrada ({status}). No se ha cambiado nada.',
    invalid: 'Este enlace no es válido. Utilice el enlace de su correo tal como se envió.',
    expired: 'Este enlace ha caducado. Pida al coordinador una nueva solicitud.',
    commentRequired: 'Indique por qué rechaza.',
    notApprover: 'Ya no es aprobador de esta solicitud. No se ha cambiado nada.',
    unavailable:
      'No hemos podido registrar su respuesta en este momento: un servicio del que depende Entente no ha respondido. No se ha cambiado nada. Vuelva a intentarlo dentro de unos minutos con el mismo enlace.',
    received:
      'Hemos recibido su respuesta y se está registrando. Si vuelve a abrir el enlace, la verá cuando quede registrada.',
    outcomes: {
      approved: 'aprobada',
      rejected: 'rechazada',
      pending: 'pendiente',
      withdrawn: 'retirada',
      expired: 'caducada',
    },
  },

  partnerComment: {
    heading: 'Un comentario para la coordinación',
    label: 'Su comentario',
    hint: '{coordinator} lo recibe por correo electrónico; queda en el historial de la colaboración.',
    send: 'Enviar el comentario',
    thanks: 'Gracias: su comentario queda registrado y se ha enviado a la coordinación.',
    tooLong: 'Su comentario supera los 4000 caracteres: acórtelo, por favor.',
    required: 'Escriba el comentario.',
  },

  /** The task page a partner contact opens from an overdue-task e-mail (/t/:token). */
  taskPage: {
    title: 'Su tarea',
    intro: '{name}, tiene asignada esta tarea de una colaboración.',
    partnership: 'Colaboración',
    task: 'Tarea',
    stage: 'Etapa',
    dueDate: 'Fecha límite',
    coordinator: 'Coordinación',
    doneHeading: 'Marcar la tarea como completada',
    doneComment: 'Comentario (opcional)',
    doneHint: 'Por ejemplo, qué se acordó o dónde se encuentra el resultado.',
    done: 'Marcar como completada',
    blockedHeading: 'Algo impide completar la tarea',
    blockedReason: '¿Qué lo impide?',
    blockedHint: 'La coordinación lo verá en el historial de la colaboración.',
    blocked: 'Enviar',
    thanksDone:
      'Gracias: la tarea ha quedado marcada como completada. La coordinación lo verá en el historial de la colaboración.',
    thanksBlocked:
      'Gracias: ha quedado registrado lo que impide completar la tarea. La coordinación lo verá en el historial de la colaboración.',
    alreadyDone: 'Esta tarea ya está completada. No se ha cambiado nada.',
    blockAlreadyReported: 'Esto ya estaba registrado. No se ha cambiado nada.',
    ended: 'Esta colaboración ha finalizado ({status}). No se ha cambiado nada.',
    notAssigned: 'Esta tarea ya no está asignada a usted. No se ha cambiado nada.',
    answeredByApproval:
      'Esta tarea no se marca como completada aquí: la completa la aprobación de los socios. La solicita el coordinador, y cada contacto de los socios al que se pide responde desde su correo de solicitud de aprobación. No se ha cambiado nada.',
    approvalPending:
      'Esta tarea no se marca como completada aquí: la completa la aprobación de los socios. Se le ha solicitado su aprobación: responda con el enlace del correo «{email}» antes del {deadline}. No se ha cambiado nada.',
    unavailable:
      'No hemos podido registrar su respuesta en este momento: un servicio del que depende Entente no ha respondido. No se ha cambiado nada. Vuelva a intentarlo dentro de unos minutos con el mismo enlace.',
    received:
      'Hemos recibido su respuesta y se está registrando. Si vuelve a abrir el enlace, la verá cuando quede registrada.',
    invalid: 'Este enlace no es válido. Utilice el enlace de su correo tal como se envió.',
    expired:
      'Este enlace ha caducado. No se ha cambiado nada. Póngase en contacto con la coordinación de la colaboración.',
    reasonRequired: 'Indique qué impide completar la tarea.',
    chooseAction: 'Utilice uno de los botones.',
    statuses: { closed: 'cerrada', agreed: 'acordada' },
  },
  calendarEvent: {
    invitationSubject: 'Invitación: {title} – {partnership}',
    updateSubject: 'Modificado: {title} – {partnership}',
    cancellationSubject: 'Cancelado: {title} – {partnership}',
    removalSubject: 'Ya no está invitado/a: {title} – {partnership}',
    reminderSubject: 'Recordatorio: {title} – {partnership}',
    invitation:
      '{organiser} le invita a la actividad ({kind}) «{title}» de la colaboración «{partnership}».',
    update:
      '{organiser} ha modificado la actividad ({kind}) «{title}» de la colaboración «{partnership}». Esta invitación sustituye a la anterior.',
    cancellation:
      '{organiser} ha cancelado la actividad ({kind}) «{title}» de la colaboración «{partnership}».',
    removal:
      '{organiser} le ha retirado de los asistentes de la actividad ({kind}) «{title}» de la colaboración «{partnership}»: ya no está invitado/a. El aviso adjunto la quita de su calendario.',
    reminder:
      'Le recordamos que se acerca la actividad ({kind}) «{title}» de la colaboración «{partnership}».',
    when: 'Cuándo: de {start} a {end} (su hora, {zone}). En UTC: {utc}.',
    place: 'Dónde: {place}',
    online: 'Enlace para unirse: {url}',
    calendarNote: 'La invitación adjunta a este correo añade la actividad a su calendario.',
    cancelNote: 'El aviso adjunto a este correo quita la actividad de su calendario.',
    answer: 'Aceptar o rechazar',
    openEvent: 'Abrir la colaboración',
    kinds: { meeting: 'reunión', seminar: 'seminario', training: 'formación' },
  },
  eventPage: {
    title: 'Su respuesta a una invitación',
    intro: 'Estimado/a {name}: le rogamos que indique si asistirá.',
    event: 'Actividad',
    partnership: 'Colaboración',
    when: 'Cuándo (su hora)',
    where: 'Dónde',
    online: 'Enlace para unirse',
    organiser: 'Organiza',
    yourAnswer: 'Su respuesta',
    answers: { pending: 'aún sin respuesta', accepted: 'aceptada', declined: 'rechazada' },
    accept: 'Aceptar',
    decline: 'Rechazar',
    thanksAccepted:
      'Gracias: ha aceptado. La persona que organiza ve su respuesta en la actividad.',
    thanksDeclined:
      'Gracias: ha rechazado. La persona que organiza ve su respuesta en la actividad.',
    cancelled: 'Esta actividad se ha cancelado. No se ha cambiado nada.',
    started: 'Esta actividad ya ha comenzado. No se ha cambiado nada.',
    notAttendee: 'Ya no está invitado/a a esta actividad. No se ha cambiado nada.',
    unavailable:
      'No hemos podido registrar su respuesta en este momento: un servicio del que depende Entente no ha respondido. No se ha cambiado nada. Vuelva a intentarlo en unos minutos con el mismo enlace.',
    received:
      'Hemos recibido su respuesta y se está registrando. Si vuelve a abrir el enlace, la verá en cuanto quede registrada.',
    invalid: 'Este enlace no es válido. Utilice el enlace de su correo tal como se le envió.',
    expired: 'Este enlace ha caducado: la actividad ya ha terminado. No se ha cambiado nada.',
    chooseAction: 'Utilice uno de los dos botones.',
  },
  knowledgePage: {
    title: 'Comparta su conocimiento',
    intro:
      '{name}, escriba lo que {organisation} sabe de cada tema, en su propio idioma. Los demás socios lo verán junto al suyo.',
    partnership: 'Colaboración',
    coordinator: 'Coordinación',
    required: 'Obligatorio',
    optional: 'Opcional',
    yourContribution: 'Aportación de {organisation}',
    text: 'Texto',
    language: 'Idioma del texto',
    links: 'Enlaces (opcionales, uno por línea)',
    linksHint: 'Direcciones web que empiecen por https:// o http://, como máximo {max}.',
    lastEdited: 'Última edición de {author} el {at} (versión {revision}).',
    save: 'Guardar',
    thanks:
      'Gracias: su aportación sobre «{topic}» ha quedado registrada. La coordinación la verá en la cronología de la colaboración.',
    unchanged: 'Esta aportación ya estaba registrada tal cual. No se ha cambiado nada.',
    textRequired: 'Escriba un texto antes de guardar.',
    invalidLinks:
      'Revise los enlaces: cada uno debe ser una dirección web que empiece por https:// o http://, como máximo {max}.',
    unknownTopic: 'Este tema ya no existe. No se ha cambiado nada.',
    notPartner:
      'Ya no es contacto de una organización socia de esta colaboración. No se ha cambiado nada.',
    ended: 'Esta colaboración ha terminado ({status}). No se ha cambiado nada.',
    unavailable:
      'No hemos podido registrar su aportación ahora: un servicio del que depende Entente no ha respondido. No se ha cambiado nada. Inténtelo de nuevo dentro de unos minutos con el mismo enlace.',
    received:
      'Hemos recibido su aportación y se está registrando. Al abrir de nuevo el enlace la verá cuando esté registrada.',
    invalid:
      'Este enlace no es válido. Utilice el enlace de su correo electrónico tal como se envió.',
    expired:
      'Este enlace ha caducado. No se ha cambiado nada. Pida uno nuevo a la coordinación de la colaboración.',
    languages: { en: 'Inglés', es: 'Español', zh: 'Chino' },
    statuses: { closed: 'cerrada', agreed: 'acordada' },
  },
});
