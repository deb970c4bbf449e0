import { useTranslation } from 'react-i18next';
import { knowledgeTopicTitle, taskTitle } from '../../../libs/domain/words';
import { isLanguage } from '../../../libs/domain/vocabulary';
import type { Task } from './use-partnership';

/**
 * A task's title in the viewer's language, as the e-mails and partner pages say it: a template
 * task (unless renamed) in its template version's words (`titles`, which the detail gives), else
 * the catalog's for the default template's tasks; a coordinator's own titles as written.
 */
export function useTaskTitle(): (
  task: Pick<Task, 'id' | 'title'> & { source?: Task['source']; titles?: Task['titles'] },
) => string {
  const { i18n } = useTranslation();
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  return (task) => taskTitle(task, language);
}

/** A knowledge topic's title in the viewer's language (default topics from the catalog). */
export function useKnowledgeTopicTitle(): (topic: {
  key: string;
  title: string;
  source: 'default' | 'custom';
}) => string {
  const { i18n } = useTranslation();
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  return (topic) => knowledgeTopicTitle(topic, language);
}
