import { importError } from './errors.js';

/** BIG-Bench Hard multiple choice: the "(A) text" lines after the last "Options:" line. */
export function bbhOptions(file: string, location: string, input: string): string[] {
  const marker = input.lastIndexOf('\nOptions:\n');
  if (marker < 0)
    throw importError(file, location, 'input', 'no "Options:" section in a multiple-choice question');
  return input
    .slice(marker + '\nOptions:\n'.length)
    .split('\n')
    .map((line, index) => {
      const match = /^\(([A-Z])\) (.*)$/.exec(line.trim());
      if (!match || match[1]!.charCodeAt(0) - 65 !== index) {
        throw importError(
          file,
          location,
          'input',
          `option line ${index + 1} is not "(${String.fromCharCode(65 + index)}) ...": "${line}"`,
        );
      }
      return match[2]!;
    });
}

/** MedMCQA: one string "A. ..\nB. ..\nC. ..\nD. .." of exactly four options. */
export function medmcqaOptions(file: string, location: string, value: string): string[] {
  const lines = value.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== 4)
    throw importError(file, location, 'options', `expected 4 options, found ${lines.length}`);
  return lines.map((line, index) => {
    const letter = String.fromCharCode(65 + index);
    if (!line.startsWith(`${letter}. `) && line.trim() !== `${letter}.`) {
      throw importError(
        file,
        location,
        'options',
        `option ${index + 1} does not start with "${letter}. ": "${line}"`,
      );
    }
    return line.slice(3).trim();
  });
}
