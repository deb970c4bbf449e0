import type { Language } from '@libs/domain';
import { renderApprovalPage, renderMessagePage } from './approval-page';
import { renderTaskMessagePage, renderTaskPage } from './task-page';

/**
 * One of each page a partner contact can see, in `language`, for the pages' tests: the approval
 * page and the task page (each with a notice), a message page and an alert (in this order).
 */
export function partnerPageSamples(language: Language): string[] {
  return [
    renderApprovalPage({
      language,
      contactName: 'Raquel',
      partnershipTitle: 'Valencia – Chengdu',
      subjectTitle: 'Project proposal',
      subjectLink: 'https://docs.example/proposal',
      requestedBy: 'Ana',
      deadline: new Date('2027-01-20T17:00:00Z'),
      timeZone: 'Europe/Madrid',
      formAction: '/a/token',
      coordinatorName: 'Ana',
      commentNonce: '00000000-0000-4000-8000-000000000002',
      notice: 'Please say why you reject.',
    }),
    renderTaskPage({
      language,
      contactName: 'Raquel',
      partnershipTitle: 'Valencia – Chengdu',
      taskTitle: 'Hold the introductory meeting',
      stageName: 'Introduction',
      dueDate: '2027-01-20',
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      formAction: '/t/token',
      commentNonce: '00000000-0000-4000-8000-000000000001',
      notice: 'Please say what is blocking the task.',
    }),
    renderMessagePage(language, 'Thank you'),
    renderTaskMessagePage(language, 'This link is not valid.', 'alert'),
  ];
}
