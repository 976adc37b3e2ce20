import { describe, expect, it } from 'vitest';
import { createVault, newMasterKey, parseMasterKey, VaultError } from '../../src/connectors/vault.ts';

const v1 = parseMasterKey(newMasterKey(1));
const v2 = parseMasterKey(newMasterKey(2));
const a = { tenantId: 'ten_a', connectionId: 'con_1' };
const secrets = { key_id: 'rzp_test_abc', key_secret: 'very-secret-value' };

describe('credential vault', () => {
  it('seals so nothing of the secrets shows, and opens them again', () => {
    const vault = createVault({ current: v1, retired: [] });
    const sealed = vault.seal(a, secrets);
    expect(JSON.stringify(sealed)).not.toContain('very-secret');
    expect(JSON.stringify(sealed)).not.toContain('rzp_test');
    expect(sealed.keyVersion).toBe(1);
    expect(vault.open(a, sealed)).toEqual(secrets);
  });

  it('refuses sealed credentials moved to another tenant or connection', () => {
    const vault = createVault({ current: v1, retired: [] });
    const sealed = vault.seal(a, secrets);
    expect(() => vault.open({ ...a, tenantId: 'ten_b' }, sealed)).toThrow(VaultError);
    expect(() => vault.open({ ...a, connectionId: 'con_2' }, sealed)).toThrow(VaultError);
    // Another connection's data key does not open this ciphertext either.
    const other = vault.seal({ ...a, connectionId: 'con_2' }, secrets);
    expect(() => vault.open(a, { ...sealed, wrappedKey: other.wrappedKey })).toThrow(VaultError);
  });

  it('refuses a damaged row and a wrong master key, saying nothing of why', () => {
    const sealed = createVault({ current: v1, retired: [] }).seal(a, secrets);
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[flipped.length - 1] = (flipped.at(-1) ?? 0) ^ 1;
    const vault = createVault({ current: v1, retired: [] });
    expect(() => vault.open(a, { ...sealed, ciphertext: flipped.toString('base64') })).toThrow(
      'could not be opened',
    );
    const impostor = createVault({ current: { version: 1, key: v2.key }, retired: [] });
    expect(() => impostor.open(a, sealed)).toThrow(VaultError);
  });

  it('re-wraps under a new master key; the old one can then be dropped', () => {
    const old = createVault({ current: v1, retired: [] });
    const sealed = old.seal(a, secrets);
    const rotated = createVault({ current: v2, retired: [v1] });
    expect(rotated.open(a, sealed)).toEqual(secrets);
    const rewrapped = rotated.rewrap(a, sealed);
    expect(rewrapped.keyVersion).toBe(2);
    expect(rewrapped.ciphertext).toBe(sealed.ciphertext);
    expect(rotated.rewrap(a, rewrapped)).toBe(rewrapped);
    const after = createVault({ current: v2, retired: [] });
    expect(after.open(a, rewrapped)).toEqual(secrets);
    expect(() => after.open(a, sealed)).toThrow('master key version 1 is not configured');
  });

  it('reads a master key only in its one form', () => {
    expect(parseMasterKey(`7:${Buffer.alloc(32, 1).toString('base64')}`).version).toBe(7);
    for (const bad of [
      '',
      'abc',
      `0:${Buffer.alloc(32).toString('base64')}`,
      `1:${Buffer.alloc(16).toString('base64')}`,
    ]) {
      expect(() => parseMasterKey(bad), bad).toThrow('<version>:<base64');
    }
  });
});
