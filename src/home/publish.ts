import { renderHome } from '../blocks/home';
import { type HomeReader, loadHome } from './dashboard';

/** Draws the user's Home tab as it is now. Throws when it could not be loaded or published. */
export async function publishHome(reader: HomeReader): Promise<void> {
  const view = renderHome(await loadHome(reader));
  await reader.client.views.publish({ user_id: reader.userId, view });
}

/**
 * Redraws the Home tab after a change made from it. The change is already saved: a failure here only
 * leaves the tab as it was until the next open, so it is logged rather than reported.
 */
export async function refreshHome(reader: HomeReader): Promise<void> {
  try {
    await publishHome(reader);
  } catch (error) {
    reader.logger.warn({ err: error }, 'could not refresh the Home tab after a change');
  }
}
