import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { aggregateColumns, aggregateRow } from '../../cli/views/aggregate';
import { Aggregate } from '../../client/compute/aggregates';
import { extractMetadata } from '../../cli/server_support';
import { CommandError } from '../../client/errors';

export default class AggregateSetMetadata extends ClientCommand {
  static summary = 'Update the metadata associated with the aggregate.';
  static aliases = ['aggregate-set-metadata'];
  static strict = false;
  static examples = ['nova aggregate-set-metadata rack1 ssd=true', 'nova aggregate-set-metadata rack1 ssd'];
  static args = {
    aggregate: Args.string({ description: 'Name or ID of aggregate to update.', required: true }),
    metadata: Args.string({ description: 'Metadata to add/update to aggregate. Specify only the key to delete a metadata item.', required: true }),
  };

  async run(): Promise<Aggregate> {
    const { args, argv, flags } = await this.parse(AggregateSetMetadata);
    const metadata = extractMetadata((argv as string[]).slice(1));
    if (Object.keys(metadata).length === 0) throw new CommandError('Specify at least one key=value or key to delete.');
    const nova = await this.connect(flags);
    const agg = await nova.aggregates.setMetadata((await nova.aggregates.find(args.aggregate)).id, metadata);
    this.log(`Metadata has been successfully updated for aggregate ${agg.id}.`);
    this.printList([aggregateRow(agg)], aggregateColumns(nova.supports('2.41')));
    return agg;
  }
}
