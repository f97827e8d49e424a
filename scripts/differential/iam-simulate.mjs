// Runs `rolecall simulate` requests (JSON Lines on standard input) through
// @cloud-copilot/iam-simulate, which is AGPL-licensed: it is installed by
// run.sh into a temporary folder and only ever run as this separate process,
// never vendored. Prints one line per request: {"decision"} or {"error"}.
//
// Usage: node iam-simulate.mjs [--validated] [--bench N] < requests.jsonl
//   --validated  use runSimulation (validates policies, actions, context)
//                instead of runUnsafeSimulation
//   --bench N    instead of answering, time N passes over the input and print
//                decisions per second

import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(process.env.IAM_SIMULATE_DIR + '/')
const { runSimulation, runUnsafeSimulation, anonymousPrincipal } = require('@cloud-copilot/iam-simulate')

const args = process.argv.slice(2)
const validated = args.includes('--validated')
const benchAt = args.indexOf('--bench')
const benchPasses = benchAt >= 0 ? Number(args[benchAt + 1]) : 0

const DECISIONS = { Allowed: 'allowed', ExplicitlyDenied: 'explicit_deny', ImplicitlyDenied: 'implicit_deny' }

function named(doc, fallback) {
  const { __name, ...policy } = doc
  return { name: __name ?? fallback, policy }
}

function principalOf(text) {
  if (text === 'anonymous') return anonymousPrincipal
  if (/^\d{12}$/.test(text)) return `arn:aws:iam::${text}:root`
  return text
}

function accountOf(r) {
  if (r.resource_account) return r.resource_account
  const m = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(r.principal)
  return m ? m[1] : '111111111111'
}

function toSimulation(r) {
  const sim = {
    request: {
      principal: principalOf(r.principal),
      action: r.action,
      resource: { resource: r.resource, accountId: accountOf(r) },
      contextVariables: r.context ?? {},
    },
    identityPolicies: (r.identity_policies ?? []).map((p, i) => named(p, `identity[${i}]`)),
    serviceControlPolicies: (r.scps ?? []).map((level, l) => ({
      orgIdentifier: `level-${l}`,
      policies: level.map((p, i) => named(p, `scp[${l}][${i}]`)),
    })),
    resourceControlPolicies: (r.rcps ?? []).map((level, l) => ({
      orgIdentifier: `level-${l}`,
      policies: level.map((p, i) => named(p, `rcp[${l}][${i}]`)),
    })),
  }
  if (r.resource_policy) sim.resourcePolicy = named(r.resource_policy, 'resource').policy
  if (r.permission_boundaries) sim.permissionBoundaryPolicies = r.permission_boundaries.map((p, i) => named(p, `boundary[${i}]`))
  if (r.session_policy) sim.sessionPolicy = named(r.session_policy, 'session').policy
  return sim
}

async function decide(sim) {
  try {
    if (validated) {
      const res = await runSimulation(sim, {})
      if (res.resultType === 'error') return { error: res.errors?.message ?? 'validation error' }
      return { decision: DECISIONS[res.overallResult] ?? res.overallResult }
    }
    const res = runUnsafeSimulation(sim, {})
    const result = typeof res === 'string' ? res : res?.result
    return { decision: DECISIONS[result] ?? String(result) }
  } catch (e) {
    return { error: String(e?.message ?? e) }
  }
}

const lines = readFileSync(0, 'utf8').split('\n').filter((l) => l.trim())
const sims = lines.map((l) => {
  try {
    return toSimulation(JSON.parse(l))
  } catch (e) {
    return null
  }
})

if (benchPasses > 0) {
  const start = process.hrtime.bigint()
  let n = 0
  for (let pass = 0; pass < benchPasses; pass++) {
    for (const sim of sims) {
      if (!sim) continue
      await decide(sim)
      n++
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  process.stdout.write(JSON.stringify({ validated, decisions: n, seconds, per_second: n / seconds }) + '\n')
} else {
  const out = []
  for (const sim of sims) {
    out.push(JSON.stringify(sim ? await decide(sim) : { error: 'invalid JSON' }))
  }
  process.stdout.write(out.join('\n') + '\n')
}
