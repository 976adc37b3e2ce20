import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// A server started with DATA_RESIDENCY=in says so where integrators and operators look: /me and /readyz.

describeEachDb('residency mode', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(get().db, { DATA_RESIDENCY: 'in' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('reports the mode on /me and /readyz', async () => {
    const token = await api.signIn(testPhone(83));
    expect((await api.request('GET', '/api/v1/me', { token })).body.data.data_residency).toBe('in');
    expect((await api.request('GET', '/readyz')).body.data).toMatchObject({
      status: 'ready',
      data_residency: 'in',
    });
  });
});
