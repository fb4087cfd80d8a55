import { Op } from 'sequelize';
import { ConsoleAuthTokenRow } from '../models/console_auth_token';
import { InstanceRow } from '../models/instance';

/** A stored console authorization (the token itself is not stored, only its hash). */
export interface ConsoleAuthTokenObj {
  id: number;
  token_hash: string;
  console_type: string;
  host: string;
  port: number;
  internal_access_path: string | null;
  instance_uuid: string;
  /** Unix time, seconds. */
  expires: number;
  access_url_base: string | null;
}

function obj(r: ConsoleAuthTokenRow): ConsoleAuthTokenObj {
  return {
    id: r.id, token_hash: r.token_hash, console_type: r.console_type, host: r.host, port: r.port,
    internal_access_path: r.internal_access_path, instance_uuid: r.instance_uuid, expires: r.expires, access_url_base: r.access_url_base,
  };
}

export async function consoleAuthTokenCreate(v: Omit<ConsoleAuthTokenObj, 'id'>): Promise<ConsoleAuthTokenObj> {
  return obj(await ConsoleAuthTokenRow.create(v));
}

/**
 * The authorization of a token hash when it has not expired at `nowSec` and its instance still exists
 * (not deleted), as Nova's console_auth_token_get_valid; else null.
 */
export async function consoleAuthTokenGetValid(tokenHash: string, nowSec: number): Promise<ConsoleAuthTokenObj | null> {
  const row = await ConsoleAuthTokenRow.findOne({ where: { token_hash: tokenHash, expires: { [Op.gt]: nowSec } } });
  if (!row) return null;
  const live = await InstanceRow.count({ where: { uuid: row.instance_uuid, deleted: 0 } });
  return live ? obj(row) : null;
}

/** Removes every authorization of an instance; returns how many there were. */
export async function consoleAuthTokenDestroyAllByInstance(instanceUuid: string): Promise<number> {
  return ConsoleAuthTokenRow.destroy({ where: { instance_uuid: instanceUuid } });
}

/** Removes authorizations expired at `nowSec`; returns how many. */
export async function consoleAuthTokenDestroyExpired(nowSec: number): Promise<number> {
  return ConsoleAuthTokenRow.destroy({ where: { expires: { [Op.lte]: nowSec } } });
}
