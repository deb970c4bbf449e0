import { ESLint } from 'eslint';
import { join } from 'node:path';

/** The rule that keeps workflows/ deterministic must actually fire. */
describe('workflows/ lint rule', () => {
  // The project's config object itself (ESLint's own file loader needs ESM dynamic import).
  const eslint = new ESLint({
    cwd: join(__dirname, '..'),
    overrideConfigFile: true,
    overrideConfig: require('../eslint.config.js'),
  });

  async function messagesFor(code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, {
      filePath: join(__dirname, '..', 'workflows', 'probe.ts'),
    });
    return result.messages
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => m.message);
  }

  it.each([
    "import { readFileSync } from 'node:fs';",
    "import * as fs from 'fs';",
    "import { Injectable } from '@nestjs/common';",
    "import { DataSource } from 'typeorm';",
    "import { Pool } from 'pg';",
    "import { Client } from '@temporalio/client';",
    "import { loadConfig } from '../libs/config';",
    "import { workingCalendarFor } from '../libs/calendars';",
    "import Holidays from 'date-holidays';",
    "import chineseDays from 'chinese-days';",
  ])('forbids %s', async (line) => {
    expect(await messagesFor(`${line}\nexport const x = 1;\n`)).toHaveLength(1);
  });

  it.each([
    "import { sleep } from '@temporalio/workflow';",
    "import { nextStage } from '../libs/domain';",
    "import type { DataSource } from '../libs/db';",
  ])('allows %s', async (line) => {
    expect(await messagesFor(`${line}\nexport const x = 1;\n`)).toEqual([]);
  });
});
