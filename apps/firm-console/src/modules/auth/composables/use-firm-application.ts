import { reactive, ref, watch } from 'vue';
import {
  errorMessage,
  fieldErrors,
  toApiError,
  type FirmApplicationInput,
  type FirmSize,
} from '@ledgerport/web/api-client';
import { api } from '../../../api';

export const FIRM_SIZE_OPTIONS: Array<{ value: FirmSize; label: string }> = [
  { value: '1', label: 'Just me' },
  { value: '2-5', label: '2–5 people' },
  { value: '6-20', label: '6–20 people' },
  { value: '21-50', label: '21–50 people' },
  { value: '51+', label: '51 or more people' },
];

type Field = keyof FirmApplicationInput;

export function useFirmApplication() {
  const form = reactive<{
    firmName: string;
    contactName: string;
    email: string;
    phone: string;
    size: FirmSize | null;
  }>({
    firmName: '',
    contactName: '',
    email: '',
    phone: '',
    size: null,
  });
  const errors = reactive<Partial<Record<Field, string>>>({});
  const failure = ref<string | null>(null);
  const submitting = ref(false);
  const submitted = ref<{ firmName: string; email: string } | null>(null);

  for (const field of ['firmName', 'contactName', 'email', 'phone', 'size'] as const) {
    watch(
      () => form[field],
      () => {
        delete errors[field];
      },
    );
  }

  function validate(): boolean {
    for (const k of Object.keys(errors) as Field[]) delete errors[k];
    if (!form.firmName.trim()) errors.firmName = 'Enter your firm’s name.';
    if (!form.contactName.trim()) errors.contactName = 'Enter the name of the person we should contact.';
    if (!form.email.trim()) errors.email = 'Enter an email address.';
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim()))
      errors.email = 'Enter a valid email address.';
    if (!form.phone.trim()) errors.phone = 'Enter a phone number.';
    if (!form.size) errors.size = 'Choose how many people work at your firm.';
    return Object.keys(errors).length === 0;
  }

  async function submit(): Promise<void> {
    failure.value = null;
    if (!validate() || !form.size) return;
    submitting.value = true;
    try {
      const body: FirmApplicationInput = {
        firmName: form.firmName.trim(),
        contactName: form.contactName.trim(),
        email: form.email.trim(),
        phone: form.phone.trim(),
        size: form.size,
      };
      const { data, error, response } = await api.POST('/api/v1/firm-applications', { body });
      if (data) {
        submitted.value = { firmName: data.firmName, email: body.email };
        return;
      }
      const e = toApiError(error, response);
      const fields = fieldErrors(e);
      for (const [field, message] of Object.entries(fields)) {
        if (field in form) errors[field as Field] = message;
      }
      if (e.code === 'EMAIL_ALREADY_REGISTERED') errors.email = e.message;
      // A problem that belongs to a field is shown beside it, not a second time in the banner.
      const shownOnFields = Object.keys(fields).some((f) => f in form) || e.code === 'EMAIL_ALREADY_REGISTERED';
      failure.value = shownOnFields ? null : errorMessage(e);
    } catch (e) {
      failure.value = errorMessage(e);
    } finally {
      submitting.value = false;
    }
  }

  return { form, errors, failure, submitting, submitted, submit };
}
