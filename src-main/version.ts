/** NetLab's version: shown by `netlab --version`, in the UI's About, in exported files. */
export const VERSION = '0.1.0';
