/** A modal or Home tab view as the app last set it. */
export interface StandInView {
  id: string;
  teamId: string;
  type: 'modal' | 'home';
  /** For Home tabs: whose. For modals: unknown to the stand-in, so undefined. */
  userId?: string;
  /** The view JSON the app sent (title, blocks, callback_id, private_metadata, ...). */
  view: Record<string, unknown>;
  hash: string;
  rootViewId: string;
  previousViewId?: string;
  externalId?: string;
  /** How many times views.update/views.publish replaced it. */
  updates: number;
}

export class ViewStore {
  private readonly views = new Map<string, StandInView>();

  save(view: StandInView): StandInView {
    this.views.set(view.id, view);
    return view;
  }

  byId(id: string): StandInView | undefined {
    return this.views.get(id);
  }

  byExternalId(teamId: string, externalId: string): StandInView | undefined {
    return [...this.views.values()].find((view) => view.teamId === teamId && view.externalId === externalId);
  }

  homeOf(teamId: string, userId: string): StandInView | undefined {
    return [...this.views.values()].find(
      (view) => view.type === 'home' && view.teamId === teamId && view.userId === userId,
    );
  }

  /** Depth of a modal stack counted from its root up to `viewId`. */
  stackDepth(viewId: string): number {
    let depth = 0;
    let current = this.views.get(viewId);
    while (current) {
      depth += 1;
      current = current.previousViewId ? this.views.get(current.previousViewId) : undefined;
    }
    return depth;
  }

  all(): StandInView[] {
    return [...this.views.values()];
  }

  clear(): void {
    this.views.clear();
  }
}
