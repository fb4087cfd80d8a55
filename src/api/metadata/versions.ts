/**
 * The metadata formats' version strings (Nova's nova/api/metadata/base.py). A key or file that
 * appeared in a version is served for that version and every later one.
 */

/** EC2-style versions, oldest first; `latest` means the last. */
export const EC2_VERSIONS = ['1.0', '2007-01-19', '2007-03-01', '2007-08-29', '2007-10-10', '2007-12-15', '2008-02-01',
  '2008-09-01', '2009-04-04'] as const;

/** OpenStack-style versions, named after the release that brought each change. */
export const OS = {
  FOLSOM: '2012-08-10',
  GRIZZLY: '2013-04-04',
  HAVANA: '2013-10-17',
  LIBERTY: '2015-10-15',
  NEWTON_ONE: '2016-06-30',
  NEWTON_TWO: '2016-10-06',
  OCATA: '2017-02-22',
  ROCKY: '2018-08-27',
  VICTORIA: '2020-10-14',
  EPOXY: '2025-04-04',
} as const;

export const OPENSTACK_VERSIONS: readonly string[] = Object.values(OS);

/** A path the service does not serve: answered 404. */
export class InvalidMetadataPath extends Error {
  constructor(readonly path: string) {
    super(`no metadata at ${path}`);
    this.name = 'InvalidMetadataPath';
  }
}

/** The version asked for, with `latest` resolved; InvalidMetadataPath for an unknown one. */
export function resolveVersion(asked: string, versions: readonly string[], path: string): string {
  const v = asked === 'latest' ? versions[versions.length - 1] : asked;
  if (!versions.includes(v)) throw new InvalidMetadataPath(path);
  return v;
}

/** True when `requested` is `required` or later in `versions` (both must be known versions). */
export function atLeast(required: string, requested: string, versions: readonly string[]): boolean {
  return versions.indexOf(requested) >= versions.indexOf(required);
}

/** The `/openstack` listing: dated versions up to today (UTC), then `latest`. Later ones stay requestable. */
export function listedOpenstackVersions(now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  return [...OPENSTACK_VERSIONS.filter((v) => v <= today), 'latest'];
}
