import { Args, Flags } from '@oclif/core';
import { ComputeClient } from '../client/compute/client';
import { findServer } from '../client/resolve';
import { ClientCommand, ManyResult } from './client_command';

export interface ServerActionResult { server: string; name: string; action: string }

/**
 * A command that runs one server action on one server named by name or ID (`nova pause NAME`):
 * one small class per action, made here so each command file only says what the action is.
 */
export function serverActionCommand(spec: { alias: string; summary: string; description?: string; act: (nova: ComputeClient, id: string) => Promise<unknown> }) {
  return class extends ClientCommand {
    static summary = spec.summary;
    static description = spec.description;
    static aliases = [spec.alias];
    static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };

    async run(): Promise<ServerActionResult> {
      const { args, flags } = await this.parse(this.constructor as typeof ClientCommand);
      const nova = await this.connect(flags);
      const s = await findServer(nova, args.server as string);
      await spec.act(nova, s.id);
      return { server: s.id, name: s.name, action: spec.alias };
    }
  };
}

/**
 * A command that runs an action on each of several servers (`nova stop a b c`), reporting each
 * like novaclient: "Request to stop server a has been accepted." or the error.
 */
export function manyServersCommand(spec: { alias: string; summary: string; verb: string; act: (nova: ComputeClient, id: string) => Promise<unknown> }) {
  return class extends ClientCommand {
    static summary = spec.summary;
    static aliases = [spec.alias];
    static strict = false;
    static args = { server: Args.string({ description: 'Name or ID of server(s).', required: true }) };
    static flags = { 'all-tenants': Flags.boolean({ description: `${spec.verb[0].toUpperCase()}${spec.verb.slice(1)} server(s) in another tenant by name (Admin only).` }) };

    async run(): Promise<Array<ManyResult<string>>> {
      const { argv, flags } = await this.parse(this.constructor as typeof ClientCommand);
      const nova = await this.connect(flags);
      return this.onMany(argv as string[], async (name) => {
        const s = await findServer(nova, name, { allTenants: (flags as { 'all-tenants'?: boolean })['all-tenants'] });
        await spec.act(nova, s.id);
        return s.id;
      }, (name) => `Request to ${spec.verb} server ${name} has been accepted.`, `Unable to ${spec.verb} the specified server(s).`);
    }
  };
}
