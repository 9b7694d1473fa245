import { View } from '@tarojs/components';
import { Input } from '../../components/ui';
import { ActionButton } from '../../member/shared/controls';

/**
 * A search box with its buttons in plain sight (NutUI's SearchBar searches on the keyboard's Enter
 * only, and its clear icon is a 12 px bare view): 搜索 when `onSearch` is given, 清除 once typed in.
 */
export function SearchField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onSearch?: (value: string) => void;
  className?: string;
}) {
  const { onSearch } = props;
  return (
    <View className={`search-field${props.className ? ` ${props.className}` : ''}`} {...{ role: 'search' }}>
      <Input
        className="input-box search-field__input"
        placeholder={props.label}
        value={props.value}
        onChange={(value: string) => props.onChange(value)}
        onConfirm={() => onSearch?.(props.value.trim())}
      />
      {onSearch ? (
        <ActionButton
          className="tap search-field__go"
          type="primary"
          fill="outline"
          onClick={() => onSearch(props.value.trim())}
        >
          搜索
        </ActionButton>
      ) : null}
      {props.value ? (
        <ActionButton
          className="tap search-field__clear"
          fill="none"
          label="清除搜索内容"
          onClick={() => {
            props.onChange('');
            onSearch?.('');
          }}
        >
          清除
        </ActionButton>
      ) : null}
    </View>
  );
}
