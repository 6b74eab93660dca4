import { computed, ref } from 'vue';
import { errorMessage, toApiError, type PasswordTokenInfo } from '@ledgerport/web/api-client';
import { api } from '../../../api';

export type TokenProblem = 'TOKEN_USED' | 'TOKEN_EXPIRED' | 'TOKEN_SUPERSEDED' | 'TOKEN_INVALID';

const TOKEN_PROBLEMS = new Set<string>(['TOKEN_USED', 'TOKEN_EXPIRED', 'TOKEN_SUPERSEDED', 'TOKEN_INVALID']);

export function isTokenProblem(code: string): code is TokenProblem {
  return TOKEN_PROBLEMS.has(code);
}

/** Looks up an invitation / reset link before the person chooses a password. */
export function usePasswordToken() {
  const info = ref<PasswordTokenInfo | null>(null);
  const problem = ref<TokenProblem | null>(null);
  const problemMessage = ref<string | null>(null);
  const failure = ref<string | null>(null);
  const loading = ref(true);

  const firstName = computed(() => info.value?.name.trim().split(/\s+/)[0] ?? '');

  function markProblem(code: TokenProblem, message: string | null): void {
    problem.value = code;
    problemMessage.value = message;
  }

  async function inspect(token: string | null): Promise<void> {
    loading.value = true;
    failure.value = null;
    problem.value = null;
    if (!token) {
      markProblem('TOKEN_INVALID', null);
      loading.value = false;
      return;
    }
    try {
      const { data, error, response } = await api.GET('/api/v1/auth/password-tokens/{token}', {
        params: { path: { token } },
      });
      if (data) {
        info.value = data;
      } else {
        const e = toApiError(error, response);
        if (isTokenProblem(e.code)) markProblem(e.code, e.message);
        else if (response.status === 404) markProblem('TOKEN_INVALID', e.message);
        else failure.value = errorMessage(e);
      }
    } catch (e) {
      failure.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }

  return { info, problem, problemMessage, failure, loading, firstName, inspect, markProblem };
}
