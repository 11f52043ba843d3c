import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readModelCard } from './loadModel.js';
import type { ModelCard } from './modelCard.js';
import { listVersions, taskNamePattern } from './saveModel.js';

/** Every saved model card (every task, or one), by task then version; an unreadable card is listed by its error. */
export function listModels(
  dataDir: string,
  task?: string,
): ({ card: ModelCard } | { task: string; version: number; error: string })[] {
  let tasks: string[];
  try {
    tasks = task
      ? [task]
      : readdirSync(join(dataDir, 'models'))
          .filter((name) => taskNamePattern.test(name))
          .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return tasks.flatMap((name) =>
    listVersions(dataDir, name).map((version) => {
      try {
        return { card: readModelCard(dataDir, name, version).card };
      } catch (error) {
        return { task: name, version, error: (error as Error).message.split('\n')[0]! };
      }
    }),
  );
}
