import Aura from '@primeuix/themes/aura';
import { definePreset } from '@primeuix/themes';

/**
 * Ledgerport's PrimeVue preset: Aura, re-tuned to a calm deep-teal primary on slate surfaces.
 * Primary actions use the 600 step on white (5.6:1 contrast), text uses slate 700/800.
 */
export const ledgerportPalette = {
  50: '#effaf8',
  100: '#d5f0eb',
  200: '#abe0d6',
  300: '#78c7b9',
  400: '#47a899',
  500: '#2a8c7e',
  600: '#1f7469',
  700: '#1b5e56',
  800: '#194c46',
  900: '#173f3b',
  950: '#0a2523',
} as const;

export const LedgerportPreset = definePreset(Aura, {
  primitive: {
    borderRadius: { none: '0', xs: '2px', sm: '4px', md: '6px', lg: '8px', xl: '12px' },
  },
  semantic: {
    primary: {
      50: ledgerportPalette[50],
      100: ledgerportPalette[100],
      200: ledgerportPalette[200],
      300: ledgerportPalette[300],
      400: ledgerportPalette[400],
      500: ledgerportPalette[500],
      600: ledgerportPalette[600],
      700: ledgerportPalette[700],
      800: ledgerportPalette[800],
      900: ledgerportPalette[900],
      950: ledgerportPalette[950],
    },
    focusRing: {
      width: '2px',
      style: 'solid',
      color: '{primary.500}',
      offset: '2px',
      shadow: 'none',
    },
    formField: {
      paddingX: '0.75rem',
      paddingY: '0.55rem',
      borderRadius: '{border.radius.md}',
      focusRing: {
        width: '0',
        style: 'none',
        color: 'transparent',
        offset: '0',
        shadow: '0 0 0 3px rgba(31, 116, 105, 0.22)',
      },
    },
    colorScheme: {
      light: {
        surface: {
          0: '#ffffff',
          50: '{slate.50}',
          100: '{slate.100}',
          200: '{slate.200}',
          300: '{slate.300}',
          400: '{slate.400}',
          500: '{slate.500}',
          600: '{slate.600}',
          700: '{slate.700}',
          800: '{slate.800}',
          900: '{slate.900}',
          950: '{slate.950}',
        },
        primary: {
          color: '{primary.600}',
          contrastColor: '#ffffff',
          hoverColor: '{primary.700}',
          activeColor: '{primary.800}',
        },
        highlight: {
          background: '{primary.50}',
          focusBackground: '{primary.100}',
          color: '{primary.800}',
          focusColor: '{primary.900}',
        },
        formField: {
          borderColor: '{surface.300}',
          hoverBorderColor: '{surface.400}',
          focusBorderColor: '{primary.600}',
          color: '{surface.800}',
          placeholderColor: '{surface.500}',
          iconColor: '{surface.500}',
        },
        text: {
          color: '{surface.800}',
          hoverColor: '{surface.900}',
          mutedColor: '{surface.600}',
          hoverMutedColor: '{surface.700}',
        },
        mask: {
          background: 'rgba(15, 23, 42, 0.45)',
          color: '{surface.200}',
        },
      },
    },
  },
  components: {
    button: {
      root: {
        paddingX: '0.9rem',
        paddingY: '0.55rem',
        label: { fontWeight: '600' },
      },
    },
    datatable: {
      headerCell: {
        padding: '0.7rem 1rem',
      },
      bodyCell: {
        padding: '0.7rem 1rem',
      },
      columnTitle: { fontWeight: '600' },
    },
    dialog: {
      title: { fontSize: '1.2rem', fontWeight: '650' },
    },
    tag: {
      root: { fontSize: '0.78rem', fontWeight: '600', padding: '0.2rem 0.55rem' },
    },
  },
});
