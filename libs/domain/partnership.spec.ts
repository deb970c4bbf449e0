import { isTerminalStatus, nextStage, previousStage, STAGES } from './partnership';

describe('stages', () => {
  it('run introduction → area exploration → knowledge sharing → project proposal → agreed', () => {
    expect(STAGES).toEqual([
      'introduction',
      'area_exploration',
      'knowledge_sharing',
      'project_proposal',
      'agreed',
    ]);
  });

  it.each([
    ['introduction', 'area_exploration'],
    ['knowledge_sharing', 'project_proposal'],
    ['project_proposal', 'agreed'],
  ] as const)('after %s comes %s', (stage, next) => {
    expect(nextStage(stage)).toBe(next);
    expect(previousStage(next)).toBe(stage);
  });

  it('has nothing after agreed and nothing before introduction', () => {
    expect(nextStage('agreed')).toBeUndefined();
    expect(previousStage('introduction')).toBeUndefined();
  });

  it('treats agreed and closed as terminal', () => {
    expect(isTerminalStatus('agreed')).toBe(true);
    expect(isTerminalStatus('closed')).toBe(true);
    expect(isTerminalStatus('active')).toBe(false);
    expect(isTerminalStatus('paused')).toBe(false);
  });
});
