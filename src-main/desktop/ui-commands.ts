/**
 * The commands the native menu hands to the UI (the UI owns these moves; the menu only asks).
 * No imports: the preload, the main process and the renderer share this list.
 */
export const UI_COMMAND_CHANNEL = 'netlab:command';
/** the other way: the UI says which language the user picked (the menu and dialogs follow) */
export const UI_LOCALE_CHANNEL = 'netlab:ui-locale';
export const UI_COMMANDS = ['new-terminal', 'export-capture', 'toggle-inspector', 'toggle-theme', 'show-help', 'show-labs'] as const;
export type UiCommand = (typeof UI_COMMANDS)[number];

export function isUiCommand(name: unknown): name is UiCommand {
  return typeof name === 'string' && (UI_COMMANDS as readonly string[]).includes(name);
}
