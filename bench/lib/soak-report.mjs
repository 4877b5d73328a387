/** The soak's table: each figure beside its goal, met or not (figures are informative). */

const ms = (x) => (x === null || x === undefined || !Number.isFinite(x) ? 'never' : `${x.toFixed(0)} ms`);

/** per service: the slowest time to a first good answer over all faults, and after which fault */
export function worstPerService(faults) {
  const worst = {};
  for (const f of faults) {
    for (const [name, p] of Object.entries(f.probes)) {
      const v = p.ms ?? Infinity;
      if (!worst[name] || v > worst[name].ms) worst[name] = { ms: v, after: f.fault };
    }
  }
  return worst;
}

export function printReport(r) {
  const rows = [];
  const row = (figure, value, goal, met) => rows.push({ figure, value, goal, met: met === null ? '—' : met ? 'met' : 'NOT MET' });
  row('acknowledged messages lost', `${r.mail.lost} of ${r.mail.acknowledged}`, '0', r.mail.lost === 0);
  row('messages delivered more than once', String(r.mail.duplicated), '0', r.mail.duplicated === 0);
  row('lab RSS, max over the run', `${r.rss.maxMB.toFixed(0)} MB (${r.rss.samples} samples, ${r.rss.overGoal} ≥ 500)`, '< 500 MB', r.rss.maxMB < 500);
  const worst = worstPerService(r.faults);
  r.worstProbe = Object.fromEntries(Object.entries(worst).map(([k, v]) => [k, { ms: Number.isFinite(v.ms) ? Math.round(v.ms) : null, after: v.after }]));
  for (const [name, w] of Object.entries(worst)) row(`first good answer after a fault: ${name}`, `${ms(w.ms)} (after ${w.after})`, '≤ 1 s', w.ms <= 1000);
  const restarts = r.faults.filter((f) => f.restartMs !== undefined).map((f) => f.restartMs);
  if (restarts.length) {
    row('kill -9: restart spawn → address printed (max)', ms(Math.max(...restarts)), '—', null);
    // what a user restarting the lab waits for: its start-up plus the slowest service's first answer
    const whole = r.faults.filter((f) => f.restartMs !== undefined).map((f) => f.restartMs + Math.max(...Object.values(f.probes).map((p) => p.ms ?? Infinity)));
    row('kill -9: restart spawn → every service answering (max)', ms(Math.max(...whole)), '—', null);
  }
  const byKind = {};
  for (const f of r.faults) byKind[f.fault] = (byKind[f.fault] ?? 0) + 1;
  row('faults', Object.entries(byKind).map(([k, n]) => `${n} × ${k}`).join(', ') || 'none', '—', null);
  if (r.diskFull.skipped) row('disk full', `skipped: ${r.diskFull.skipped}`, '—', null);

  const w = [0, 1, 2].map((i) => Math.max(...rows.map((x) => [x.figure, x.value, x.goal][i].length)));
  console.log(`\nSoak: ${r.options.minutes} min, a fault every ${r.options.faultEvery} s`);
  console.log(`| ${'figure'.padEnd(w[0])} | ${'value'.padEnd(w[1])} | ${'goal'.padEnd(w[2])} | met |`);
  console.log(`| ${'-'.repeat(w[0])} | ${'-'.repeat(w[1])} | ${'-'.repeat(w[2])} | --- |`);
  for (const x of rows) console.log(`| ${x.figure.padEnd(w[0])} | ${x.value.padEnd(w[1])} | ${x.goal.padEnd(w[2])} | ${x.met} |`);

  console.log('\nLoads (whole run, faults included):');
  for (const [name, f] of Object.entries(r.loads ?? {})) {
    if ('requests' in f) console.log(`  ${name}: ${f.rate}: ${f.requests} requests (${f.rps} req/s), non-2xx ${f.non2xx}, socket errors ${f.socketErrors}`);
    else if ('qps' in f) console.log(`  ${name}: ${f.rate}: ${f.completed} of ${f.sent} answered (${f.qps} q/s), lost ${f.lost}`);
    else console.log(`  ${name}: ${f.started} runs started, ${f.finished} finished, ${f.errors} interrupted${f.lastError ? ` (last: ${f.lastError})` : ''}`);
  }
  const s = r.smtp;
  const refused = Object.entries(s.refused).map(([c, n]) => `${n} × ${c}`).join(', ') || 'none';
  console.log(`  smtp: ${s.attempted} sent to the dot, ${s.acknowledged} acknowledged (250), refused ${refused}, ${s.unanswered} without a reply (lab killed), ${s.connectErrors} failed connects`);
  console.log(`  Maildir of bob@hamburger.edu: ${r.mail.deliveredIds} distinct soak messages in ${r.mail.maildirFiles} files; drain ${r.drain ? `${r.drain.seconds.toFixed(0)} s, queue left ${r.drain.queueLeft}` : 'not waited (no lab)'}`);
  if (r.broken.length) {
    console.log('\nBROKEN:');
    for (const b of r.broken) console.log(`  - ${b}`);
  }
}
