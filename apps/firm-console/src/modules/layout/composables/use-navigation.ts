import { computed } from 'vue';
import { useSessionStore } from '../../../stores/session';
import { useDevOutboxAvailability } from '../../dev-outbox/composables/use-dev-outbox';
import { useQuestionCountsStore } from '../../../stores/question-counts';

export interface NavItem {
  label: string;
  to: string;
  icon: string;
  /** A count beside the label (hidden when 0), and what it counts, for screen readers. */
  badge?: number;
  badgeLabel?: string;
}

export interface NavGroup {
  label: string;
  items: NavItem[];
}

/** The sidebar's sections for the signed-in person. */
export function useNavigation() {
  const session = useSessionStore();
  const { available: outbox } = useDevOutboxAvailability();
  const questions = useQuestionCountsStore();

  const groups = computed<NavGroup[]>(() => {
    const out: NavGroup[] = [
      {
        label: 'Work',
        items: [
          { label: 'Clients', to: '/clients', icon: 'pi pi-briefcase' },
          {
            label: 'Questions',
            to: '/questions',
            icon: 'pi pi-comments',
            badge: questions.waitingOnUs,
            badgeLabel: `${questions.waitingOnUs} waiting on us`,
          },
          { label: 'Connections', to: '/connections', icon: 'pi pi-link' },
        ],
      },
    ];
    if (session.isAdmin) {
      out.push({
        label: 'Firm',
        items: [
          { label: 'Team', to: '/team', icon: 'pi pi-users' },
          { label: 'Activity', to: '/activity', icon: 'pi pi-history' },
          { label: 'Portal branding', to: '/settings/branding', icon: 'pi pi-palette' },
          { label: 'Sync schedule', to: '/settings/sync', icon: 'pi pi-sync' },
        ],
      });
    }
    if (outbox.value) {
      out.push({
        label: 'Development',
        items: [{ label: 'Dev outbox', to: '/dev/outbox', icon: 'pi pi-inbox' }],
      });
    }
    return out;
  });

  return { groups };
}
