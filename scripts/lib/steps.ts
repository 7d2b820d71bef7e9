// A provisioning run is a list of steps, each reported as it happens, so that a run that
// stops half-way says exactly what was done and what was not.

export type StepStatus = 'created' | 'updated' | 'unchanged' | 'would create' | 'would update';

export interface Step {
  server: string;
  what: string;
  status: StepStatus;
}

export class ProvisionError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message);
  }
}

export class StepLog {
  readonly steps: Step[] = [];
  constructor(
    readonly dryRun: boolean,
    private readonly onStep: (s: Step) => void = () => {},
  ) {}

  record(server: string, what: string, change: 'create' | 'update' | 'none'): void {
    const status: StepStatus =
      change === 'none'
        ? 'unchanged'
        : this.dryRun
          ? change === 'create'
            ? 'would create'
            : 'would update'
          : change === 'create'
            ? 'created'
            : 'updated';
    const step = { server, what, status };
    this.steps.push(step);
    this.onStep(step);
  }
}
