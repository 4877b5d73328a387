/** A lab file's name: lower-case letters, digits and dashes, .yaml (shared by the API's schemas and the lab folder). */
export const LAB_FILE_NAME = /^[a-z0-9][a-z0-9-]{0,60}\.yaml$/;
