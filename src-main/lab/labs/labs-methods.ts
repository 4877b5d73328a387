/**
 * The lab sessions' part of the lab API (issue 12): each method hands over to the LabsArea.
 * The Lab takes this table as it is, so the method list of an area sits beside the area.
 */
import type { AreaMethods } from '../api';
import type { LabsArea } from './labs-area';

export function labsMethods(labs: () => LabsArea): AreaMethods<'labs'> {
  return {
    'labs.list': async () => labs().list(),
    'labs.read': async (origin, file) => labs().read(origin, file),
    'labs.validate': async (text) => labs().validate(text),
    'labs.save': async (file, text) => labs().save(file, text),
    'labs.open': async (origin, file) => labs().open(origin, file),
    'labs.status': async () => labs().status(),
    'labs.hint': async (task) => labs().hint(task),
    'labs.answer': async (task, check, text) => labs().answer(task, check, text),
    'labs.runProgram': async (task, check) => labs().runProgram(task, check),
    'labs.restart': async () => labs().restart(),
    'labs.close': async () => {
      labs().close();
      return null;
    },
    'labs.report': async (studentName) => labs().report(studentName),
  };
}
