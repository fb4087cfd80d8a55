import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { pollForStatus } from '../../cli/poll';
import { parseKeyValues, pollFlags } from '../../cli/server_support';
import { imageDetails } from '../../cli/views/image';
import { ImageInfo } from '../../client/images';
import { findServer } from '../../client/resolve';

export default class ImageCreate extends ClientCommand {
  static summary = 'Create a new image by taking a snapshot of a running server.';
  static aliases = ['image-create'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    name: Args.string({ description: 'Name of snapshot.', required: true }),
  };
  static flags = {
    metadata: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'Record arbitrary key/value metadata (key=value) on the image. Can be specified multiple times.' }),
    show: Flags.boolean({ description: 'Print image info.' }),
    ...pollFlags,
  };

  async run(): Promise<{ server: string; image_id: string; image?: Record<string, unknown> }> {
    const { args, flags } = await this.parse(ImageCreate);
    const nova = await this.connect(flags);
    const s = await findServer(nova, args.server);
    const imageId = await nova.serverActions.createImage(s.id, args.name, parseKeyValues(flags.metadata));
    const images = this.images(nova);
    if (flags.poll) {
      const intervalMs = flags['poll-interval'] * 1000;
      await pollForStatus<ImageInfo>({
        fetch: () => images.get(imageId), status: (i) => i.status, progress: (i) => Number(i.raw.progress ?? 0),
        action: 'snapshotting', finalOk: ['active'], intervalMs, write: (t) => this.write(t), kind: 'Image',
      });
      // The upload may finish a moment before the server's task state clears: wait for that too.
      await pollForStatus({
        fetch: () => nova.servers.get(s.id), status: (x) => x['OS-EXT-STS:task_state'] ?? null,
        action: 'image_snapshot', finalOk: [null], showProgress: false, silent: true, intervalMs, write: () => undefined,
      });
    }
    let image: Record<string, unknown> | undefined;
    if (flags.show) {
      image = imageDetails((await images.get(imageId)).raw);
      this.printDict(image);
    }
    return { server: s.id, image_id: imageId, image };
  }
}
