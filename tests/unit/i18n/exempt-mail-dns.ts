import type { Exemption } from './scan';

/** mail-dns: strings that stay as written, and why */
const exempt: Exemption[] = [];
export default exempt;
