/** A lab or scenario file opened from outside (Open…, a double-click): what it changes, then apply it. */
export default {
  openLabAsk: 'Open this lab?',
  applyScenarioAsk: 'Apply this scenario?',
  mistake: 'This file has a mistake and cannot be applied: {error}',
  applying: 'Applying it:',
  cancel: 'Cancel',
  openLab: 'Open lab',
  applyScenario: 'Apply scenario',
  openedLab: 'Opened the lab “{title}”',
  appliedScenario: 'Applied the scenario “{title}”',
};
