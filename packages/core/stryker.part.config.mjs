import base from '/work/main/packages/core/stryker.config.mjs';
export default { ...base, mutate: (process.env.MUTATE ?? '').split(','), reporters: ['json', 'clear-text', 'progress'], jsonReporter: { fileName: `reports/mutation/${process.env.PART}.json` }, incremental: false };
